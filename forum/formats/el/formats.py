"""Greek dates and times as the portal shows them: Django's, with the time in the 24-hour
clock (Django's Greek formats write "4 μ.μ."; forums, ministries and timetables in Greece
write 16:00). Read through settings.FORMAT_MODULE_PATH."""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j E"  # "1 Ιουλίου", the genitive, as inside a date (Django: "1 Ιούλιος")
