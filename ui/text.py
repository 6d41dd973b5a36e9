"""Every word the app shows, in Korean and English; `t(key)` picks the session's language."""

from __future__ import annotations

import streamlit as st

DEFAULT_LANGUAGE = "ko"
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    # Frame
    "app.title": {"ko": "합성곱 신경망 패션 분류기", "en": "CNN clothes classifier"},
    "app.subtitle": {
        "ko": "혼자 공부하는 머신러닝+딥러닝 08-2 · 케라스 CNN · Fashion-MNIST",
        "en": "Textbook chapter 08-2 · a Keras CNN · Fashion-MNIST",
    },
    "language.label": {"ko": "언어 / Language", "en": "Language / 언어"},
    "nav.train": {"ko": "훈련", "en": "Train"},
    "nav.curves": {"ko": "학습 곡선", "en": "Curves"},
    "nav.architecture": {"ko": "모델 구조", "en": "Architecture"},
    "nav.samples": {"ko": "검증 샘플", "en": "Validation samples"},
    "nav.draw": {"ko": "그리기", "en": "Draw"},
    "nav.upload": {"ko": "사진 올리기", "en": "Upload"},
    "nav.test": {"ko": "테스트 세트", "en": "Test set"},
    "nav.inside": {"ko": "CNN 들여다보기", "en": "Inside the CNN"},
    # Model panel
    "model.header": {"ko": "사용 중인 모델", "en": "Active model"},
    "model.choice": {"ko": "모델 선택", "en": "Choose a model"},
    "model.shipped": {"ko": "교재 모델 (미리 훈련됨)", "en": "Chapter model (pre-trained)"},
    "model.drawing": {"ko": "그림용 모델 (증강 훈련)", "en": "Drawing model (augmented)"},
    "model.trained": {"ko": "이 세션에서 훈련한 모델 ({time})", "en": "Trained in this session ({time})"},
    "model.uploaded": {"ko": "올린 모델: {name}", "en": "Uploaded: {name}"},
    "model.teachers": {"ko": "선생님의 모델 ({name})", "en": "The teacher's model ({name})"},
    "model.val_accuracy": {"ko": "검증 정확도", "en": "Validation accuracy"},
    "model.epochs": {"ko": "에포크", "en": "Epochs"},
    "model.epochs_value": {"ko": "{run}회 (최적 {best})", "en": "{run} (best {best})"},
    "model.created": {"ko": "만든 때", "en": "Made"},
    "model.unknown": {"ko": "알 수 없음", "en": "unknown"},
    "model.download": {"ko": "모델 내려받기 (.keras)", "en": "Download model (.keras)"},
    "model.upload": {"ko": "모델 올리기 (.keras)", "en": "Upload a model (.keras)"},
    "model.upload_help": {
        "ko": "model.save('이름.keras')로 저장한 케라스 3 모델. 입력 28x28x1, 출력 10개여야 합니다.",
        "en": "A Keras 3 model saved with model.save('name.keras'): input 28x28x1, 10 outputs.",
    },
    "model.upload_ok": {"ko": "{name} 모델을 불러왔습니다.", "en": "Loaded {name}."},
    "model.upload_refused": {
        "ko": "{name} 파일은 쓸 수 없습니다. 사용 중인 모델은 그대로입니다. 이유: {reason}",
        "en": "{name} cannot be used; the active model is unchanged. Reason: {reason}",
    },
    "model.val_on": {
        "ko": "교재의 검증 이미지 12,000개로 잰 값입니다 ('검증 샘플' 화면의 이미지).",
        "en": "On the chapter's 12,000 validation images (those of the Validation samples page).",
    },
    # Why a model file cannot be used, by cnn.model_files.ModelError.reason.
    "model_error.unusable": {
        "ko": "이 앱에서 실행할 수 없는 모델입니다.",
        "en": "this model cannot run in this app.",
    },
    "model_error.not_keras": {
        "ko": ".keras 파일이 아닙니다. model.save('이름.keras')로 저장한 파일을 올리세요.",
        "en": "this is not a .keras file. Upload a file saved with model.save('name.keras').",
    },
    "model_error.no_model": {"ko": "파일 안에 모델이 없습니다.", "en": "there is no model inside the file."},
    "model_error.too_large": {"ko": "압축을 풀면 너무 큽니다.", "en": "it is far too large once unpacked."},
    "model_error.file_too_large": {
        "ko": "파일이 {megabytes}MB보다 큽니다. 이 앱의 모델은 4MB쯤입니다.",
        "en": "the file is larger than {megabytes} MB; this app's models are about 4 MB.",
    },
    "model_error.damaged": {
        "ko": "파일이 손상되었거나 중간에 잘렸습니다. 다시 저장해서 올리세요.",
        "en": "the file is damaged or cut short. Save the model again and upload it.",
    },
    "model_error.not_sequential": {
        "ko": "keras.Sequential 모델(교재처럼 층을 차례로 쌓은 모델)만 쓸 수 있습니다.",
        "en": "only keras.Sequential models (a plain stack of layers, like the chapter's) can be used.",
    },
    "model_error.layer_count": {
        "ko": "층이 1개에서 {most}개 사이여야 합니다.",
        "en": "the model must have between 1 and {most} layers.",
    },
    "model_error.lambda": {
        "ko": "저장된 코드를 실행하는 Lambda 층이 있어 안전을 위해 받지 않습니다.",
        "en": "it has a Lambda layer, which runs stored code; it is refused for safety.",
    },
    "model_error.layer": {
        "ko": "이 앱이 받지 않는 {kind} 층이 있습니다.",
        "en": "it has a {kind} layer, which this app does not accept.",
    },
    "model_error.settings": {
        "ko": "{kind} 층의 설정을 읽을 수 없습니다.",
        "en": "the settings of its {kind} layer cannot be read.",
    },
    "model_error.shrinks": {
        "ko": "{kind} 층에서 이미지가 너무 작아져 사라집니다.",
        "en": "its {kind} layer shrinks the image to nothing.",
    },
    "model_error.too_many_parameters": {
        "ko": "수업용 노트북에는 너무 큰 모델입니다 (파라미터 {most:,}개 초과).",
        "en": "the model is far too large for a classroom laptop (over {most:,} parameters).",
    },
    "model_error.bad_input": {
        "ko": "입력이 28x28x1 이미지여야 합니다.",
        "en": "the model must take 28x28x1 images.",
    },
    "model_error.bad_output": {
        "ko": "출력이 클래스 10개의 확률이어야 합니다.",
        "en": "the model must give 10 class probabilities.",
    },
    "model_error.not_loadable": {
        "ko": "케라스가 안전 모드로 불러올 수 없는 파일입니다.",
        "en": "Keras cannot load it in safe mode.",
    },
    "model.missing": {
        "ko": "미리 훈련된 모델 파일이 없습니다 ({path}). '훈련' 화면에서 모델을 훈련하세요.",
        "en": "The pre-trained model file is missing ({path}). Train a model on the Train page.",
    },
    "model.loading_keras": {"ko": "텐서플로를 불러오는 중...", "en": "Loading TensorFlow..."},
    "model.none": {"ko": "아직 모델이 없습니다. '훈련'에서 먼저 훈련하세요.", "en": "No model yet: train one first."},
    # Classroom: teacher and students
    "nav.gallery": {"ko": "우리 반 갤러리", "en": "Class gallery"},
    "classroom.teacher": {"ko": "선생님", "en": "Teacher"},
    "classroom.passcode": {"ko": "선생님 암호", "en": "Teacher passcode"},
    "classroom.unlock": {"ko": "선생님 모드 열기", "en": "Unlock teacher mode"},
    "classroom.wrong_passcode": {"ko": "암호가 맞지 않습니다.", "en": "That passcode is not right."},
    "classroom.teacher_on": {"ko": "선생님 모드", "en": "Teacher mode"},
    "classroom.lock": {"ko": "선생님 모드 닫기", "en": "Leave teacher mode"},
    "classroom.class_code": {"ko": "반 코드", "en": "Class code"},
    "classroom.students_train": {"ko": "학생도 훈련할 수 있음", "en": "Students may train"},
    "classroom.refused": {"ko": "선생님만 할 수 있습니다: {action}", "en": "Only the teacher can {action}."},
    "classroom.action_train": {"ko": "훈련 시작과 중지", "en": "start or stop training"},
    "classroom.action_model": {"ko": "반의 모델 바꾸기와 모델 올리기", "en": "change or upload the class's model"},
    "classroom.action_settings": {"ko": "반 설정 바꾸기", "en": "change the class settings"},
    "classroom.action_moderate": {"ko": "갤러리 정리", "en": "hide or clear drawings"},
    "classroom.action_export": {"ko": "갤러리 내려받기", "en": "download the gallery"},
    "classroom.queue_full": {
        "ko": "기다리는 훈련이 너무 많습니다. 하나가 시작된 뒤에 다시 누르세요.",
        "en": "Too many runs are waiting; press again once one has started.",
    },
    "join.header": {"ko": "학생은 여기로 들어오세요", "en": "Students join here"},
    "join.language": {"ko": "학생 화면 언어", "en": "Language for students"},
    "join.scan": {
        "ko": "휴대폰 카메라로 QR 코드를 찍거나, 같은 와이파이에서 이 주소를 여세요:",
        "en": "Scan the QR code with a phone camera, or open this address on the same Wi-Fi:",
    },
    "join.no_network": {
        "ko": "이 노트북이 네트워크에 연결되어 있지 않아 학생이 들어올 수 없습니다.",
        "en": "This laptop is not on a network, so students cannot reach it.",
    },
    "send.header": {"ko": "우리 반 갤러리로 보내기", "en": "Send to the class gallery"},
    "send.label": {"ko": "무엇을 그렸나요?", "en": "What did you mean?"},
    "send.pick": {"ko": "고르세요", "en": "Pick one"},
    "send.nickname": {"ko": "별명", "en": "Nickname"},
    "send.optional": {"ko": "안 써도 됩니다", "en": "optional"},
    "send.button": {"ko": "보내기", "en": "Send"},
    "send.no_label": {"ko": "무엇을 그렸는지 먼저 고르세요.", "en": "Pick what you meant first."},
    "send.sent": {"ko": "'{label}'(으)로 보냈습니다.", "en": "Sent as {label}."},
    "send.too_fast": {"ko": "잠깐 기다렸다가 다시 보내세요.", "en": "Wait a moment before sending again."},
    "send.too_many": {"ko": "보낼 수 있는 만큼 다 보냈습니다.", "en": "You have sent as many as one student can."},
    "send.too_large": {"ko": "그림이 너무 큽니다.", "en": "The picture is too large."},
    "send.not_picture": {"ko": "그림 파일이 아닙니다.", "en": "That is not a picture."},
    "send.bad_label": {"ko": "10개 클래스 중 하나를 고르세요.", "en": "Pick one of the 10 classes."},
    "gallery.header": {"ko": "우리 반 갤러리", "en": "Class gallery"},
    "gallery.intro": {
        "ko": "반 코드 {code}: 학생들이 보낸 그림이 들어오는 대로 보입니다. 누르면 크게 볼 수 있습니다.",
        "en": "Class {code}: the drawings students send appear as they arrive. Open one to look closer.",
    },
    "gallery.students": {
        "ko": "갤러리는 선생님 화면(프로젝터)에 보입니다. '그리기'에서 그림을 보내 보세요.",
        "en": "The gallery is on the teacher's screen (the projector). Send a drawing from Draw.",
    },
    "gallery.empty": {"ko": "아직 보낸 그림이 없습니다.", "en": "No drawings yet."},
    "gallery.none_match": {"ko": "고른 조건에 맞는 그림이 없습니다.", "en": "No drawing matches the filters."},
    "gallery.filter_label": {"ko": "그리려던 것", "en": "Meant to be"},
    "gallery.filter_right": {"ko": "모델의 답", "en": "Model's answer"},
    "gallery.all": {"ko": "전체", "en": "All"},
    "gallery.right": {"ko": "맞음", "en": "Right"},
    "gallery.wrong": {"ko": "틀림", "en": "Wrong"},
    "gallery.show_hidden": {"ko": "숨긴 것도 보기", "en": "Show hidden"},
    "gallery.meant": {"ko": "그리려던 것", "en": "Meant"},
    "gallery.said": {"ko": "모델의 답", "en": "Model said"},
    "gallery.drawings": {"ko": "그림 수", "en": "drawings"},
    "gallery.matrix_title": {"ko": "우리 반 그림의 오차 행렬", "en": "Our class's confusion matrix"},
    "gallery.view": {"ko": "보기", "en": "Open"},
    "gallery.hide": {"ko": "숨기기", "en": "Hide"},
    "gallery.unhide": {"ko": "다시 보이기", "en": "Show"},
    "gallery.focus": {"ko": "{meant} → 모델: {said}", "en": "{meant} → model: {said}"},
    "gallery.sent": {"ko": "보낸 그림", "en": "As sent"},
    "gallery.gradcam": {"ko": "Grad-CAM: 모델이 본 곳", "en": "Grad-CAM: where the model looked"},
    "gallery.close": {"ko": "닫기", "en": "Close"},
    "gallery.count": {"ko": "보낸 그림", "en": "Drawings"},
    "gallery.accuracy": {"ko": "우리 반 정확도", "en": "Class accuracy"},
    "gallery.accuracy_help": {
        "ko": "학생이 그리려던 것과 모델의 답이 같은 비율 (숨긴 그림은 빼고)",
        "en": "How often the model said what the student meant (hidden drawings left out)",
    },
    "gallery.clear": {"ko": "갤러리 비우기", "en": "Clear the gallery"},
    "gallery.clear_confirm": {
        "ko": "이 반의 그림을 모두 지웁니다. 되돌릴 수 없습니다.",
        "en": "This deletes all of this class's drawings; it cannot be undone.",
    },
    "gallery.clear_yes": {"ko": "모두 지우기", "en": "Delete all"},
    "gallery.export": {"ko": "zip 만들기", "en": "Make a zip"},
    "gallery.download": {"ko": "갤러리 내려받기 (.zip)", "en": "Download the gallery (.zip)"},
    # Teach the model with the class's drawings (ui/teach_view.py)
    "model.drawing_class": {"ko": "그림용 모델 (우리 반이 가르침)", "en": "Drawing model (taught by the class)"},
    "teach.header": {"ko": "우리 반 그림으로 모델 가르치기", "en": "Teach the model with our drawings"},
    "teach.intro": {
        "ko": "숨기지 않은 그림 가운데 일부는 확인용으로 남겨 두고, 나머지로 그림용 모델의 복사본을 조금 더 "
        "훈련합니다. 원래 훈련 데이터도 섞어서 데이터셋을 잊지 않게 합니다. 그다음 모델이 보지 못한 그림과 "
        "진짜 테스트 세트에서 전과 후를 나란히 보여 줍니다.",
        "en": "Some of the drawings (not the hidden ones) are kept aside for checking; a copy of the drawing model "
        "trains a little more on the rest, mixed with its usual training data so that it does not forget the "
        "dataset. Then the drawings it has not seen and the real test set show it before and after, side by side.",
    },
    "teach.none": {
        "ko": "아직 가르칠 그림이 없습니다. 학생들이 '그리기'에서 그림을 보내면 여기서 가르칠 수 있습니다.",
        "en": "No drawings to teach yet. Once students send drawings from Draw, you can teach with them here.",
    },
    "teach.seed": {"ko": "나누기 시드", "en": "Split seed"},
    "teach.seed_help": {
        "ko": "어떤 그림을 확인용으로 남길지 정합니다. 같은 시드면 같은 그림이 남습니다.",
        "en": "Decides which drawings are kept aside for checking; the same seed keeps the same ones.",
    },
    "teach.split": {
        "ko": "시드 {seed}: 그림 {taught}개로 가르치고 {held}개는 확인용으로 남깁니다.",
        "en": "Seed {seed}: {taught} drawings teach, {held} are kept aside for checking.",
    },
    "teach.class": {"ko": "클래스", "en": "Class"},
    "teach.drawings": {"ko": "그림", "en": "Drawings"},
    "teach.taught": {"ko": "가르침", "en": "Taught"},
    "teach.held_out": {"ko": "확인용", "en": "Kept aside"},
    "teach.few": {
        "ko": "그림이 클래스마다 {least}개보다 적으면 결과가 거의 의미가 없습니다: {classes}. "
        "가르칠 수는 있지만 표의 숫자는 몇 장의 그림에 달려 있습니다.",
        "en": "With fewer than {least} drawings of a class the figures mean little: {classes}. "
        "You can still teach, but the table's figures hang on a few drawings.",
    },
    "teach.start": {"ko": "모델 가르치기", "en": "Teach the model"},
    "teach.start_help": {
        "ko": "훈련 대기열에 들어가 다른 훈련처럼 진행됩니다. 2분이 채 걸리지 않습니다.",
        "en": "Joins the training queue and runs like any run, in under two minutes.",
    },
    "teach.action": {"ko": "우리 반 그림으로 모델 가르치기", "en": "teach the model with the class's drawings"},
    "teach.busy": {
        "ko": "이미 진행 중인 훈련이 있습니다. 끝나거나 멈춘 뒤에 가르치세요.",
        "en": "You already have a run going; teach once it has ended or been stopped.",
    },
    "teach.gone": {
        "ko": "그사이 갤러리의 그림이 바뀌었습니다. 다시 눌러 주세요.",
        "en": "The gallery's drawings changed meanwhile; press again.",
    },
    "teach.no_model": {"ko": "그림용 모델 파일이 없습니다.", "en": "The drawing model's file is missing."},
    "teach.progress": {
        "ko": "가르치는 중 · 에포크 {epoch}/{epochs} · 경과 {elapsed} · 남은 시간 약 {eta}",
        "en": "Teaching · epoch {epoch}/{epochs} · elapsed {elapsed} · about {eta} left",
    },
    "teach.preparing": {
        "ko": "그림을 섞고 모델을 불러오는 중...",
        "en": "Mixing the drawings in and loading the model...",
    },
    "teach.failed": {"ko": "가르치지 못했습니다: {error}", "en": "Teaching failed: {error}"},
    "teach.stopped": {
        "ko": "중지했습니다. 그때까지 가장 좋은 에포크의 모델입니다.",
        "en": "Stopped: this is the best epoch's model so far.",
    },
    "teach.result": {"ko": "전과 후", "en": "Before and after"},
    "teach.result_intro": {
        "ko": "확인용 그림은 모델이 배우지 않은 그림입니다. 테스트 세트는 데이터셋의 진짜 사진 10,000장입니다.",
        "en": "The drawings kept aside are ones the model did not learn from; the test set is the dataset's "
        "10,000 real images.",
    },
    "teach.all": {"ko": "전체", "en": "All"},
    "teach.held_before": {"ko": "확인용 그림: 전", "en": "Kept-aside drawings: before"},
    "teach.held_after": {"ko": "확인용 그림: 후", "en": "Kept-aside drawings: after"},
    "teach.test_before": {"ko": "테스트 세트: 전", "en": "Test set: before"},
    "teach.test_after": {"ko": "테스트 세트: 후", "en": "Test set: after"},
    "teach.test_cost": {
        "ko": "진짜 테스트 세트의 정확도가 {before:.1%}에서 {after:.1%}로 떨어졌습니다. 그림의 이름표가 맞는지 "
        "갤러리에서 확인해 보세요 (예: 모든 그림을 '가방'이라고 보낸 경우).",
        "en": "Accuracy on the real test set fell from {before:.1%} to {after:.1%}. Check the drawings' labels in "
        "the gallery (someone may have labelled every drawing Bag).",
    },
    "teach.changed": {"ko": "답이 바뀐 확인용 그림", "en": "Kept-aside drawings whose answer changed"},
    "teach.no_changed": {
        "ko": "확인용 그림의 답은 하나도 바뀌지 않았습니다.",
        "en": "No kept-aside drawing's answer changed.",
    },
    "teach.change": {"ko": "{meant}: {before} → {after}", "en": "{meant}: {before} → {after}"},
    "teach.adopt": {"ko": "새 모델을 우리 반 그림용 모델로", "en": "Use the new model for the class"},
    "teach.keep": {"ko": "원래 모델 그대로", "en": "Keep the old one"},
    "teach.adopted": {
        "ko": "이제 우리 반의 '그리기'는 새 모델로 그림을 읽습니다.",
        "en": "The class's Draw page now reads drawings with the new model.",
    },
    "teach.kept": {"ko": "원래 그림용 모델을 그대로 씁니다.", "en": "The class keeps the drawing model it had."},
    "teach.download_new": {"ko": "새 모델 내려받기 (.keras)", "en": "Download the new model (.keras)"},
    "teach.download_old": {"ko": "원래 모델 내려받기 (.keras)", "en": "Download the old model (.keras)"},
    "teach.again": {"ko": "다시 가르치기", "en": "Teach again"},
    "teach.current_class": {
        "ko": "지금 우리 반은 우리 반이 가르친 그림용 모델을 씁니다.",
        "en": "The class now uses a drawing model it taught.",
    },
    "teach.back_to_shipped": {"ko": "원래 그림용 모델로 돌아가기", "en": "Go back to the shipped drawing model"},
    # Dataset problems
    "data.missing_title": {"ko": "Fashion-MNIST 데이터를 찾을 수 없습니다", "en": "Fashion-MNIST cannot be found"},
    "data.missing_body": {
        "ko": "이 화면에는 데이터셋이 필요합니다. '그리기'와 '사진 올리기'는 미리 훈련된 모델로 계속 쓸 수 있습니다.",
        "en": "This page needs the dataset. Draw and Upload still work with the pre-trained model.",
    },
    # Train
    "train.header": {"ko": "CNN 훈련하기", "en": "Train the CNN"},
    "train.intro": {
        "ko": "교재와 같은 설정이 기본값입니다. '훈련 시작'을 누르면 손실이 에포크마다 줄어드는 것을 볼 수 있습니다.",
        "en": "The defaults are the chapter's recipe. Press Train and watch the loss fall epoch by epoch.",
    },
    "train.recipe": {"ko": "훈련 방법", "en": "Recipe"},
    "train.recipe_chapter": {"ko": "교재 그대로", "en": "The chapter's"},
    "train.recipe_quick": {"ko": "수업용 빠른 훈련", "en": "Quick, for class"},
    "train.quick_help": {
        "ko": "같은 신경망과 데이터를 3분의 1 이하의 시간에 훈련합니다. 에포크 {epochs}번, 배치 {batch}, "
        "학습률은 {warmup} 에포크 동안 {rate}까지 올라갔다가 코사인 곡선으로 0까지 내려갑니다. "
        "큰 배치가 CPU 두 개를 더 잘 쓰고, 줄어드는 학습률이 짧은 훈련을 마무리해 줍니다. "
        "짧은 훈련에서는 과대적합할 틈이 적어 드롭아웃을 {dropout}로 낮췄습니다. "
        "CPU가 bfloat16을 빠르게 계산하면 그 형식으로 훈련하고, 저장되는 모델은 float32입니다.",
        "en": "The same network and data in a third of the time or less: {epochs} epochs, batch {batch}; the "
        "learning rate rises to {rate} over {warmup} epoch(s), then falls along a cosine to zero. Large "
        "batches use the two cores better, and the falling rate settles a short run. A run this short has "
        "little time to overfit, which is why dropout is lowered to {dropout}. Where this CPU computes "
        "bfloat16 faster, it trains in that format; the saved model is float32.",
    },
    "train.quick_about": {
        "ko": "빠른 훈련은 무엇이 다른가요? (배치, 학습률 일정, bfloat16)",
        "en": "What is different in the quick recipe? (batch, learning-rate schedule, bfloat16)",
    },
    "train.settings": {"ko": "훈련 설정", "en": "Settings"},
    "train.epochs": {"ko": "최대 에포크", "en": "Maximum epochs"},
    "train.epochs_help": {
        "ko": "훈련 세트를 반복할 최대 횟수입니다. 조기 종료로 더 일찍 멈출 수 있습니다.",
        "en": "How many passes over the training set; early stopping may end sooner.",
    },
    "train.patience": {"ko": "조기 종료 인내 (patience)", "en": "Early-stopping patience"},
    "train.patience_help": {
        "ko": "검증 손실이 나아지지 않아도 기다리는 에포크 수.",
        "en": "Epochs to wait for a better validation loss before stopping.",
    },
    "train.batch_size": {"ko": "배치 크기", "en": "Batch size"},
    "train.batch_size_help": {
        "ko": "한 번의 경사 하강법에 쓰는 샘플 수 (케라스 기본값 32).",
        "en": "Samples per gradient step (Keras' default is 32).",
    },
    "train.learning_rate": {"ko": "학습률", "en": "Learning rate"},
    "train.learning_rate_help": {
        "ko": "Adam 옵티마이저의 보폭 (기본값 0.001).",
        "en": "The Adam optimizer's step size (default 0.001).",
    },
    "train.dropout": {"ko": "드롭아웃 비율", "en": "Dropout rate"},
    "train.dropout_help": {
        "ko": "훈련 중 밀집층 뉴런을 끄는 비율 (교재 0.4).",
        "en": "Share of dense-layer neurons switched off while training (chapter: 0.4).",
    },
    "train.images": {"ko": "훈련 이미지 수", "en": "Training images"},
    "train.images_help": {
        "ko": "48,000개가 교재 설정입니다. 수업 시간이 짧으면 줄이세요.",
        "en": "48,000 is the chapter's setting; use fewer for a quick demo.",
    },
    "train.images_all": {"ko": "{count:,}개 (교재)", "en": "{count:,} (chapter)"},
    "train.images_some": {"ko": "{count:,}개", "en": "{count:,}"},
    "train.button": {"ko": "훈련 시작", "en": "Train"},
    "train.stop": {"ko": "중지", "en": "Stop"},
    "train.stop_help": {
        "ko": "지금까지 가장 좋은 모델을 남기고 멈춥니다.",
        "en": "End now and keep the best model so far.",
    },
    "train.queued": {
        "ko": "다른 학생의 훈련이 끝나면 시작합니다 (대기 {position}번째).",
        "en": "Your run starts when the current one ends (position {position} in the queue).",
    },
    "train.other_running": {
        "ko": "다른 학생이 훈련 중입니다 (이미지 {images:,}개, 배치 {batch}): 에포크 {epoch}/{epochs}, 약 {eta} 남음. "
        "한 번에 하나씩 훈련하니, 그동안 공유 모델로 그리기와 예측을 해 보세요.",
        "en": "Another student is training ({images:,} images, batch {batch}): epoch {epoch}/{epochs}, about {eta} "
        "left. One run trains at a time; meanwhile, draw and predict with the shared model.",
    },
    "train.other_waiting": {
        "ko": "다른 학생의 훈련이 곧 시작됩니다.",
        "en": "Another student's run is about to start.",
    },
    "train.starting": {
        "ko": "훈련을 준비하는 중... (누른 지 {elapsed})",
        "en": "Getting ready to train... ({elapsed} since you pressed Train)",
    },
    "train.validating": {"ko": "에포크 {epoch} 검증 중...", "en": "Scoring epoch {epoch} on the validation set..."},
    "train.epoch_progress": {
        "ko": "에포크 {epoch}/{epochs} · 배치 {batch}/{batches}",
        "en": "Epoch {epoch}/{epochs} · batch {batch}/{batches}",
    },
    "train.overall_progress": {
        "ko": "전체 진행 · 경과 {elapsed} · 남은 시간 약 {eta}",
        "en": "Overall · elapsed {elapsed} · about {eta} left",
    },
    "train.overall_estimating": {
        "ko": "전체 진행 · 경과 {elapsed} · 남은 시간 계산 중",
        "en": "Overall · elapsed {elapsed} · working out the time left",
    },
    "train.running_loss": {
        "ko": "현재 에포크 손실 {loss:.4f} · 정확도 {accuracy:.3f}",
        "en": "This epoch so far: loss {loss:.4f} · accuracy {accuracy:.3f}",
    },
    "train.done": {
        "ko": "훈련 완료: {epochs}번째 에포크에서 멈췄고, 최적 에포크는 {best}입니다. 검증 정확도 {accuracy:.2%}.",
        "en": "Done: stopped after epoch {epochs}; the best epoch was {best}. Validation accuracy {accuracy:.2%}.",
    },
    "train.early": {
        "ko": "검증 손실이 {patience} 에포크 동안 나아지지 않아 조기 종료했습니다.",
        "en": "Early stopping: the validation loss did not improve for {patience} epochs.",
    },
    "train.stopped": {
        "ko": "중지했습니다. 지금까지 가장 좋은 에포크 {best}의 모델을 남겼습니다.",
        "en": "Stopped. The model of the best epoch so far ({best}) is kept.",
    },
    "train.activated": {"ko": "새 모델을 사용 중인 모델로 정했습니다.", "en": "The new model is now the active model."},
    "train.failed": {
        "ko": "훈련이 실패했습니다. 사용 중인 모델은 그대로입니다. ({error})",
        "en": "Training failed; the active model is unchanged. ({error})",
    },
    "train.busy": {
        "ko": "이미 훈련이 진행 중입니다. 먼저 중지하세요.",
        "en": "You already have a training run; stop it first.",
    },
    "train.invalid": {"ko": "설정을 확인하세요: {error}", "en": "Please check the settings: {error}"},
    "train.table_epoch": {"ko": "에포크", "en": "Epoch"},
    "train.table_loss": {"ko": "훈련 손실", "en": "Loss"},
    "train.table_val_loss": {"ko": "검증 손실", "en": "Validation loss"},
    "train.table_accuracy": {"ko": "훈련 정확도", "en": "Accuracy"},
    "train.table_val_accuracy": {"ko": "검증 정확도", "en": "Validation accuracy"},
    # Curves
    "curves.header": {"ko": "학습 곡선", "en": "Learning curves"},
    "curves.intro": {
        "ko": "교재의 그래프처럼 에포크마다 훈련 손실과 검증 손실을 그립니다.",
        "en": "The chapter's plot: training and validation loss per epoch.",
    },
    "curves.none": {
        "ko": "이 모델에는 훈련 기록이 없습니다 (올린 모델).",
        "en": "This model has no training history (uploaded model).",
    },
    "curves.best": {
        "ko": "최적 에포크 {best} · 검증 손실 {loss:.4f} · 검증 정확도 {accuracy:.2%}",
        "en": "Best epoch {best} · val_loss {loss:.4f} · val_accuracy {accuracy:.2%}",
    },
    "curves.loss_title": {
        "ko": "에포크마다 손실 (훈련 세트와 검증 세트)",
        "en": "Loss per epoch (training and validation)",
    },
    "curves.accuracy_title": {
        "ko": "에포크마다 정확도 (훈련 세트와 검증 세트)",
        "en": "Accuracy per epoch (training and validation)",
    },
    "curves.val_mixed": {
        "ko": "이 모델의 검증 세트에는 그림처럼 바꾼 이미지와 스케치도 들어 있습니다. "
        "교재의 검증 이미지 12,000개만으로는 정확도 {accuracy:.2%}입니다 (사이드바와 같은 값).",
        "en": "This model's validation set also holds drawing-style copies and sketches; on the chapter's "
        "12,000 validation images alone its accuracy is {accuracy:.2%} (the sidebar's figure).",
    },
    # Architecture
    "arch.header": {"ko": "모델 구조", "en": "Model architecture"},
    "arch.summary": {"ko": "model.summary()", "en": "model.summary()"},
    "arch.layer": {"ko": "층", "en": "Layer"},
    "arch.type": {"ko": "종류", "en": "Type"},
    "arch.output_shape": {"ko": "출력 크기", "en": "Output shape"},
    "arch.parameters": {"ko": "파라미터 수", "en": "Parameters"},
    "arch.total": {"ko": "전체 파라미터: {total:,}개", "en": "Total parameters: {total:,}"},
    "arch.graph": {"ko": "plot_model(show_shapes=True)", "en": "plot_model(show_shapes=True)"},
    "arch.download": {"ko": "cnn-architecture.png 내려받기", "en": "Download cnn-architecture.png"},
    "arch.browser_graph": {
        "ko": "graphviz가 없어 브라우저에서 그린 그래프입니다.",
        "en": "graphviz is not installed, so the browser draws this graph.",
    },
    # Samples
    "samples.header": {"ko": "검증 샘플 살펴보기", "en": "Browse validation samples"},
    "samples.class": {"ko": "정답 클래스", "en": "True class"},
    "samples.all": {"ko": "전체", "en": "All"},
    "samples.correctness": {"ko": "예측 결과", "en": "Predictions"},
    "samples.correct": {"ko": "맞힌 것", "en": "Correct"},
    "samples.wrong": {"ko": "틀린 것", "en": "Wrong"},
    "samples.page": {"ko": "페이지", "en": "Page"},
    "samples.count": {"ko": "{count:,}개 중 {start}-{end}", "en": "{start}-{end} of {count:,}"},
    "samples.empty": {"ko": "조건에 맞는 샘플이 없습니다.", "en": "No samples match these filters."},
    "samples.pick": {"ko": "눌러서 크게 보기", "en": "Click to see it up close"},
    "samples.index": {"ko": "샘플 번호 (val_scaled[번호])", "en": "Sample number (val_scaled[n])"},
    "samples.selected": {"ko": "선택한 샘플 #{index}", "en": "Selected sample #{index}"},
    "samples.truth": {"ko": "정답: {label}", "en": "True: {label}"},
    "samples.prediction": {"ko": "예측: {label} ({probability:.1%})", "en": "Predicted: {label} ({probability:.1%})"},
    "samples.loading": {
        "ko": "검증 이미지 12,000개를 예측하는 중...",
        "en": "Predicting the 12,000 validation images...",
    },
    "samples.confusion": {"ko": "검증 세트 오차 행렬", "en": "Validation confusion matrix"},
    "samples.confusion_help": {
        "ko": "칸을 누르거나 아래에서 고르면 그 이미지들을 보여 줍니다.",
        "en": "Click a cell, or choose below, to see those images.",
    },
    "samples.confusion_true": {"ko": "정답", "en": "True"},
    "samples.confusion_pred": {"ko": "예측", "en": "Predicted"},
    "samples.confusion_count": {"ko": "이미지 수", "en": "images"},
    "samples.confusion_title": {
        "ko": "행은 정답, 열은 예측 클래스 (칸의 수 = 이미지 수)",
        "en": "Rows: true class; columns: predicted class (images per cell)",
    },
    "samples.inside": {"ko": "이 샘플을 CNN 안에서 보기", "en": "Look at this sample inside the CNN"},
    "samples.confusion_cell": {
        "ko": "정답 {true} → 예측 {pred}: {count:,}개",
        "en": "True {true} → predicted {pred}: {count:,} images",
    },
    "samples.accuracy": {
        "ko": "검증 정확도 {accuracy:.2%}: 교재의 검증 이미지 12,000개로 잰 값 (사이드바와 같은 값)",
        "en": "Validation accuracy {accuracy:.2%}, on the chapter's 12,000 validation images (the sidebar's figure)",
    },
    # Prediction panel
    "predict.top": {"ko": "예측: {label} ({probability:.0%})", "en": "Prediction: {label} ({probability:.0%})"},
    "predict.unsure": {
        "ko": "확실하지 않아요: {first}, {second} 또는 {third}?",
        "en": "Not sure: {first}, {second} or {third}?",
    },
    "predict.input": {"ko": "모델이 보는 28x28 이미지", "en": "The 28x28 image the model sees"},
    "predict.bars": {"ko": "클래스별 확률", "en": "Probability of each class"},
    "predict.class": {"ko": "클래스", "en": "class"},
    "predict.probability": {"ko": "확률", "en": "probability"},
    # Draw
    "draw.header": {"ko": "옷을 그려 보세요", "en": "Draw a garment"},
    "draw.hint": {
        "ko": "옷 하나를 칸에 꽉 차게 크게 그리고 안쪽을 칠해 보세요. 모델은 속이 채워진 실루엣으로 배웠어요. "
        "예: 바지는 긴 다리 두 개.",
        "en": "Draw one garment large, filling the box, and shade it in: the model learned from filled "
        "silhouettes. E.g. trousers: two long legs.",
    },
    "draw.hint_drawing": {
        "ko": "옷 하나를 칸에 꽉 차게 크게 그려 보세요. 윤곽선만 그려도 됩니다. 예: 바지는 긴 다리 두 개.",
        "en": "Draw one garment large, filling the box; an outline is enough. E.g. trousers: two long legs.",
    },
    "draw.model_help": {
        "ko": "그림용 모델은 윤곽선과 채운 그림, 사람이 그리듯 만든 스케치, 그리고 Quick, Draw! 게임에서 "
        "사람들이 그린 낙서로도 훈련해서 손그림을 더 잘 알아봅니다.",
        "en": "The drawing model was also trained on outline and filled versions of the images, on sketches "
        "made the way people draw each garment and on doodles people drew in the game Quick, Draw!, so it "
        "reads hand drawings better.",
    },
    "draw.brush": {"ko": "붓 굵기", "en": "Brush width"},
    "draw.model": {"ko": "그림 인식에 쓸 모델", "en": "Model for drawings"},
    "draw.model_default": {"ko": "그림용 모델 (추천)", "en": "Drawing model (recommended)"},
    "draw.empty": {
        "ko": "캔버스에 옷을 그리면 여기에 예측이 나타납니다.",
        "en": "Draw a garment on the canvas and the prediction appears here.",
    },
    "draw.undo": {"ko": "되돌리기", "en": "Undo"},
    "draw.clear": {"ko": "모두 지우기", "en": "Clear"},
    # The Draw and Upload pages' model choice (ui/model_choice.py)
    "model_choice.active": {"ko": "사용 중인 모델: {name}", "en": "Active model: {name}"},
    # Upload
    "upload.header": {"ko": "옷 사진 올리기", "en": "Upload a garment picture"},
    "upload.hint": {
        "ko": "옷 한 벌을 찍은 사진이나 그림(PNG, JPEG, WebP, HEIC)을 올리세요. 바닥이나 침대 위에서 찍어도 됩니다.",
        "en": "A photo of one garment, on a floor or bed is fine, or a drawing (PNG, JPEG, WebP, HEIC).",
    },
    "upload.model": {"ko": "사진 인식에 쓸 모델", "en": "Model for photos"},
    # The drawing model under the name a student looking at photos expects; upload.model_help says which it is.
    "upload.model_default": {"ko": "그림·사진 모델 (추천)", "en": "Drawing & photo model (recommended)"},
    "upload.model_help": {
        "ko": "그림·사진 모델(옆 메뉴의 '그림용 모델')은 바닥이나 침대 위에서 휴대폰으로 찍은 옷 사진으로도 "
        "훈련해서, 실제 사진을 교재의 모델보다 더 잘 알아봅니다.",
        "en": "The drawing & photo model (the sidebar's 'Drawing model') was also trained on phone photos of "
        "garments on floors and beds, so it reads real photos better than the chapter's model.",
    },
    "upload.label": {"ko": "이미지 파일", "en": "Image file"},
    # Streamlit's uploader shows these in English; on Korean pages ui/streamlit_fixes.py puts these instead.
    "upload.button": {"ko": "파일 올리기", "en": "Upload"},
    "upload.limit": {"ko": "파일 하나에 20MB까지", "en": "20MB per file"},
    "upload.examples": {"ko": "또는 예제 이미지", "en": "Or try an example"},
    "upload.none": {"ko": "(선택 안 함)", "en": "(none)"},
    "upload.empty": {
        "ko": "이미지를 올리거나 예제를 고르면 예측이 나타납니다.",
        "en": "Upload an image or choose an example to see the prediction.",
    },
    "upload.original": {"ko": "올린 이미지", "en": "Original"},
    "upload.crop": {
        "ko": "빨간 상자의 모서리를 끌어 옷만 남기면, 모델이 보는 28x28 이미지와 막대가 바로 바뀝니다.",
        "en": "Drag the red box's corners round the garment: the 28x28 input and the bars follow.",
    },
    "upload.error": {"ko": "이 파일로는 예측할 수 없습니다: {reason}", "en": "This file cannot be used: {reason}"},
    # Why a picture cannot be used, by cnn.preprocess.ImageError.reason.
    "image.empty": {"ko": "빈 파일이거나 픽셀이 없습니다.", "en": "the file is empty or has no pixels."},
    "image.too_large": {
        "ko": "이미지가 너무 커서 안전하게 열 수 없습니다. 크기를 줄여서 다시 올리세요.",
        "en": "the image is too large to open safely. Make it smaller and upload it again.",
    },
    "image.not_image": {
        "ko": "이미지 파일이 아닙니다. PNG, JPEG, WebP, HEIC 사진을 올리세요.",
        "en": "this is not an image file. Upload a PNG, JPEG, WebP or HEIC picture.",
    },
    "image.damaged": {
        "ko": "이미지가 손상되었거나 중간에 잘렸습니다. 다시 저장해서 올리세요.",
        "en": "the image is damaged or cut short. Save it again and upload it.",
    },
    "image.unsupported": {
        "ko": "이 색상 형식은 지원하지 않습니다. PNG나 JPEG로 저장해서 올리세요.",
        "en": "this colour format is not supported. Save it as PNG or JPEG.",
    },
    "image.nothing_drawn": {
        "ko": "배경과 구별되는 옷이 보이지 않습니다. 옷이 잘 보이는 사진을 올리세요.",
        "en": "nothing stands out from the background. Upload a picture where the garment is clearly visible.",
    },
    # Test
    "test.header": {"ko": "테스트 세트로 최종 평가", "en": "Final check on the test set"},
    "test.warning": {
        "ko": "테스트 세트는 항상 모델을 출시하기 직전 딱 한 번만 사용해야 합니다. "
        "그렇지 않으면 모델을 실전에 투입했을 때의 성능을 올바르게 예측하지 못합니다. (교재 08-2)",
        "en": "Use the test set only once, just before releasing the model. Otherwise it no longer "
        "predicts how the model will do in real use. (chapter 08-2)",
    },
    "test.button": {"ko": "테스트 세트로 평가하기", "en": "Evaluate on the test set"},
    "test.loading": {"ko": "테스트 이미지 10,000개를 예측하는 중...", "en": "Predicting the 10,000 test images..."},
    "test.accuracy": {"ko": "테스트 정확도", "en": "Test accuracy"},
    "test.loss": {"ko": "테스트 손실", "en": "Test loss"},
    "test.per_class": {"ko": "클래스별 정확도", "en": "Accuracy per class"},
    "test.count": {"ko": "테스트 이미지 {count:,}개로 평가했습니다.", "en": "Scored on the {count:,} test images."},
    # Inside
    "inside.header": {"ko": "CNN 들여다보기", "en": "Inside the CNN"},
    "inside.intro": {
        "ko": "합성곱 신경망은 이미지를 다루기 때문에 각 층의 출력을 시각화하기 좋습니다 (08-3 미리 보기).",
        "en": "A CNN works on images, so each layer's output is easy to look at (a preview of chapter 08-3).",
    },
    "inside.filters": {"ko": "첫 번째 합성곱 층의 필터", "en": "First-layer filters"},
    "inside.filters_help": {
        "ko": "왼쪽은 훈련된 모델, 오른쪽은 훈련 전 모델의 3x3 필터 32개입니다. 빨강은 양수, 파랑은 음수 가중치. "
        "훈련하면 가중치가 넓게 퍼지고 필터가 뚜렷한 무늬를 찾게 됩니다.",
        "en": "Left: the 32 3x3 filters of the trained model; right: before training. Red weights are "
        "positive, blue negative. Training spreads the weights out and gives filters clear patterns.",
    },
    "inside.focus": {"ko": "이미지 하나를 골라 살펴보기", "en": "Look at one image"},
    "inside.source": {"ko": "살펴볼 이미지", "en": "Image to look at"},
    "inside.source_sample": {"ko": "검증 샘플", "en": "Validation sample"},
    "inside.source_drawing": {"ko": "그림", "en": "Drawing"},
    "inside.source_upload": {"ko": "올린 사진", "en": "Upload"},
    "inside.draw_hint": {
        "ko": "'그리기' 화면의 그림입니다. 여기에 더 그리면 특성 맵과 히트맵이 획마다 바뀝니다.",
        "en": "The Draw page's drawing. Draw more here and the maps follow each stroke.",
    },
    "inside.no_upload": {
        "ko": "먼저 '사진 올리기'에서 이미지를 올리세요.",
        "en": "Upload an image on the Upload page first.",
    },
    "inside.class": {"ko": "히트맵으로 볼 클래스", "en": "Class to explain"},
    "inside.top_class": {"ko": "확률이 가장 높은 클래스", "en": "The most likely class"},
    "inside.empty_heatmap": {
        "ko": "이 이미지에는 '{label}' 점수를 높이는 부분이 없습니다.",
        "en": "No part of this image raises the score of {label}.",
    },
    "inside.maps": {"ko": "특성 맵", "en": "Feature maps"},
    "inside.maps_help": {
        "ko": "필터마다 이미지의 어느 부분에서 활성화되는지 보여 줍니다 (밝을수록 강함). "
        "두 번째 층은 풀링 뒤라 14x14로 작고 더 추상적입니다.",
        "en": "Where each filter lights up on the image (brighter is stronger). The second layer comes "
        "after pooling, so its maps are 14x14 and more abstract.",
    },
    # Generic
    "error.unexpected": {
        "ko": "문제가 생겼지만 앱은 계속 쓸 수 있습니다. ({error})",
        "en": "Something went wrong, but the app keeps working. ({error})",
    },
}


def language() -> str:
    """Return the session's language code ("ko" or "en")."""
    return st.session_state.get("language", DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    """Return the text for `key` in the session's language, filled in with `values`."""
    entry = STRINGS[key]
    template = entry.get(language(), entry["en"])
    return template.format(**values) if values else template


def duration(seconds: float | None) -> str:
    """Return a short human duration such as 1:05 or 12 s."""
    if seconds is None or seconds != seconds or seconds == float("inf"):
        return "?"
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s" if language() == "en" else f"{seconds}초"
    return f"{seconds // 60}:{seconds % 60:02d}"
