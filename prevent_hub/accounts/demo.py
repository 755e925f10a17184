from prevent_hub.core.demo import DEMO_PASSWORD

from .models import User

DEMO_DOMAIN = "demo.shireford.example"
ACCOUNTS = [
    ("Prevent coordinator", "coordinator", "Alex Demo-Coordinator"),
]


def load():
    for _role, local_part, name in ACCOUNTS:
        User.objects.create_user(f"{local_part}@{DEMO_DOMAIN}", DEMO_PASSWORD, full_name=name)


def sign_in_help():
    return [(role, f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD) for role, local, _ in ACCOUNTS]
