"""Fashion-MNIST CNN classroom demo: the chapter 08-2 model, trained, inspected and tried live.

    streamlit run streamlit_app.py          # or: scripts/run.sh

This script only frames the app: page settings, language, the model panel, then the
page the teacher picked. The pages are listed once in ui/registry.py, each drawn by its
ui/*_view.py; this session's training run is kept in ui/runs.py; the model side is in cnn/.
"""

import streamlit as st

from cnn import config
from ui import classroom, model_panel, registry, runs, state, status, streamlit_fixes, warm
from ui.text import LANGUAGE_NAMES, t

streamlit_fixes.keep_keras_state_between_runs()
st.set_page_config(
    page_title="CNN 08-2 · Fashion-MNIST", page_icon=str(config.ASSETS_DIR / "favicon.png"), layout="wide"
)

# Less empty space above each page, so more of it fits on a projector.
st.html("<style>[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }</style>")

# Language first: every label below depends on it. ?lang=ko / ?lang=en picks it too.
state.init_language()
with st.sidebar:
    st.markdown(f"### {t('app.title')}")
    st.caption(t("app.subtitle"))
    st.segmented_control(
        t("language.label"),
        list(LANGUAGE_NAMES),
        format_func=LANGUAGE_NAMES.get,
        key="language",
        required=True,
        on_change=state.keep_choices_across_language,
    )
state.sync_language_to_url()
streamlit_fixes.page_style(st.session_state.language)
# The class code and a teacher link's passcode come with the address.
classroom.init_from_url()
# Architecture and Samples then open at once on their first visit (ui/warm.py).
warm.start(teacher=classroom.is_teacher())
with st.sidebar:
    classroom.sidebar()

# A reload keeps a run started before it; a finished run's model becomes active.
runs.restore_run_from_url()
runs.collect_finished_run()
# The teacher's active model is the class's: students' sessions read it from the class's settings.
state.share_with_class(model_panel.render())


pages = [
    st.Page(page.script, title=t(page.nav), icon=page.icon, url_path=page.name, default=page is registry.DEFAULT)
    for page in registry.PAGES
]
page = st.navigation(pages, position="sidebar", expanded=True)
# The Train page shows the run itself, larger; a second live copy in its sidebar would only
# make the browser redraw twice as often, and the teacher's browser shares the CPU with the run.
if page.url_path != "":
    status.render()
page.run()
