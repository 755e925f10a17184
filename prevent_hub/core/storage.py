from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; also rewrites `import ... from "./x.js"`
    in our module scripts so they point at the hashed file names."""

    support_js_module_import_aggregation = True
