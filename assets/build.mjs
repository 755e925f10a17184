// Builds the static assets Django serves: GOV.UK Frontend compiled with Dart Sass,
// its fonts and images, our small module script, and the Unicode TrueType fonts
// the PDFs are drawn with (core/pdf.py; docs/decisions/0016). Output goes to build/static,
// which settings.STATICFILES_DIRS points at; collectstatic then gives every file a
// hashed name (WhiteNoise), rewriting the url() references in the CSS as it goes.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "build", "static");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

// Fonts and images keep GOV.UK Frontend's own folder layout so that the relative
// $govuk-assets-path in application.scss resolves under STATIC_URL wherever it is.
cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
cpSync(join(root, "assets", "js"), join(out, "js"), { recursive: true });

// Noto Sans (Latin, Greek, Cyrillic) and Noto Naskh Arabic (Arabic, Urdu,
// Persian), regular and bold, with their SIL Open Font Licence. ReportLab
// reads them from here (or from STATIC_ROOT once collected).
const pdfFonts = join(out, "pdf-fonts");
mkdirSync(pdfFonts, { recursive: true });
const fonts = join(root, "node_modules", "@expo-google-fonts");
for (const [family, weight, file] of [
  ["noto-sans", "400Regular", "NotoSans_400Regular.ttf"],
  ["noto-sans", "700Bold", "NotoSans_700Bold.ttf"],
  ["noto-naskh-arabic", "400Regular", "NotoNaskhArabic_400Regular.ttf"],
  ["noto-naskh-arabic", "700Bold", "NotoNaskhArabic_700Bold.ttf"],
]) {
  cpSync(join(fonts, family, weight, file), join(pdfFonts, file));
}
cpSync(join(fonts, "noto-sans", "LICENSE_FONT"), join(pdfFonts, "OFL.txt"));

const result = sass.compile(join(root, "assets", "scss", "application.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "css", "application.css"), result.css);
console.log(`assets built in ${out}`);
