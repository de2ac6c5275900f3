from celery import shared_task

from forum import open_data_files


@shared_task(name="open_data.write")
def write_open_data() -> int:
    return open_data_files.dumps_write()
