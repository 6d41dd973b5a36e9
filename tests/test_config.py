import pytest

from cnn import config
from cnn.config import TrainConfig


def test_class_names_are_the_datasets_and_the_chapters_in_label_order():
    assert config.class_names("en")[1] == "Trouser"
    assert config.class_names("en")[9] == "Ankle boot"
    assert config.class_names("ko") == (
        "티셔츠",
        "바지",
        "스웨터",
        "드레스",
        "코트",
        "샌달",
        "셔츠",
        "스니커즈",
        "가방",
        "앵클 부츠",
    )
    assert len(config.CLASS_NAMES_EN) == len(config.CLASS_NAMES_KO) == config.NUM_CLASSES


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="Unknown language"):
        config.class_names("fr")


def test_defaults_are_the_chapters_recipe():
    recipe = TrainConfig()
    assert (recipe.epochs, recipe.batch_size, recipe.patience) == (20, 32, 2)
    assert recipe.learning_rate == pytest.approx(1e-3)
    assert recipe.dropout_rate == pytest.approx(0.4)
    assert recipe.train_limit is None and recipe.val_limit is None
    assert recipe.precision == "float32" and TrainConfig.quick().precision == "auto"


def test_fast_preset_is_small_and_overridable():
    fast = TrainConfig.fast(epochs=1)
    assert fast.epochs == 1 and fast.train_limit <= 2000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("epochs", 0, "epochs must be between"),
        ("epochs", 2.5, "whole number"),
        ("batch_size", 10**6, "batch_size must be between"),
        ("learning_rate", 5.0, "learning_rate must be between"),
        ("dropout_rate", 1.0, "dropout_rate must be between"),
        ("patience", "2", "must be a number"),
        ("train_limit", 0, "train_limit must be at least 1"),
        ("precision", "float16", "precision must be one of"),
    ],
)
def test_out_of_range_settings_raise_a_readable_error(field, value, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**{field: value})


def test_a_configuration_comes_back_from_its_dict_and_an_older_dict_takes_the_defaults():
    quick = TrainConfig.quick(train_limit=512)
    assert TrainConfig.from_dict(quick.to_dict()) == quick
    older = {key: value for key, value in TrainConfig(seed=3).to_dict().items() if key != "precision"}
    assert TrainConfig.from_dict({**older, "retired_setting": 1}) == TrainConfig(seed=3)
