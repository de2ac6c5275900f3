r"""European Portuguese dates as the portal shows them: Django's, with the month named as
inside a date ("E", Django's alternative month name), which the portal's catalogue gives in
lower case as Portuguese writes it ("1 de julho de 2027", not Django's "1 de Julho"); see
forum/catalogue_overrides.py. Read through settings.FORMAT_MODULE_PATH."""

DATE_FORMAT = r"j \d\e E \d\e Y"
DATETIME_FORMAT = r"j \d\e E \d\e Y à\s H:i"
YEAR_MONTH_FORMAT = r"E \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e E"
