"""allauth strings whose French wording we set ourselves.

Our catalogue takes precedence over allauth's; listing the strings here keeps them in it
through `make messages`. They follow the house style: infinitive on buttons, "adresse
e-mail" rather than "courriel".
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = (
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
)
