def context(params):
    return {"params": params, "visually_hidden_text": params.get("visuallyHiddenText", "Error")}
