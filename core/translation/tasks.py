from celery import shared_task

from core.translation import services


@shared_task(name=services.TASK, ignore_result=True)
def translate_texts(languages, refs):
    services.texts_translate(languages=languages, refs=refs)
