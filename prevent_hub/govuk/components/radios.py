from . import choices


def context(params):
    return choices.context(params, "radios")
