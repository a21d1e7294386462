#!/usr/bin/python3
"""Subsets Debian's Noto fonts for the canvas demo, so the Wasm page carries a few hundred KB
of fonts instead of 20 MB: Latin/Greek/Cyrillic and Hebrew whole, Arabic with its
presentation forms (the widget shapes Arabic into them), CJK only the characters of the
built-in texts (from tests/vectors/i18n.json) plus CJK punctuation and kana.

  subset_fonts.py I18N_JSON OUT_DIR
Runs Debian's pyftsubset (package fonttools)."""
import json, os, subprocess, sys

i18n, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
texts = []
def walk(v):
    if isinstance(v, str): texts.append(v)
    elif isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, dict):
        for x in v.values(): walk(x)
walk(json.load(open(i18n, encoding="utf-8")))
cjk = sorted({c for t in texts for c in t if ord(c) >= 0x2E80})
with open(os.path.join(out, "cjk-text.txt"), "w", encoding="utf-8") as f:
    f.write("".join(cjk))

noto = "/usr/share/fonts/truetype/noto/"
jobs = [
    ("latin.ttf", noto + "NotoSans-Regular.ttf", ["--unicodes=U+0020-024F,U+0370-03FF,U+0400-052F,U+2000-206F,U+20A0-20CF,U+2100-214F"]),
    ("arabic.ttf", noto + "NotoSansArabic-Regular.ttf", ["--unicodes=U+0600-06FF,U+FE70-FEFF"]),
    ("hebrew.ttf", noto + "NotoSansHebrew-Regular.ttf", ["--unicodes=U+0590-05FF"]),
    ("cjk.ttf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
     ["--font-number=2", "--unicodes=U+3000-30FF,U+FF00-FFEF", "--text-file=" + os.path.join(out, "cjk-text.txt")]),
]
for name, src, args in jobs:
    subprocess.run(["pyftsubset", src, "--output-file=" + os.path.join(out, name), "--layout-features=",
                    "--no-hinting", "--desubroutinize", "--notdef-outline"] + args, check=True)
