#!/usr/bin/env python3
"""Writes a web rubric and one submission whose site has N pages of about 50 KB
for Benchmarks/web.sh.

Usage: generate_web_pages.py OUT_DIR N [SEED]
OUT_DIR/rubrics/bench-web/rubric.xml (every built-in check set and three
assertions) and OUT_DIR/submission/ (submission.xml, site/page-NNNN.html,
site/css/site.css, site/images/*.svg). Pages are HTML5 class pages: landmarks,
headings, paragraphs, lists, tables, a form, images, links to other pages and
to ids; some have flaws (a missing alt, a skipped heading, a broken link).
"""
import os
import random
import sys

RUBRIC = """<?xml version="1.0" encoding="UTF-8"?>
<microcredential xmlns="urn:mastery:rubric:1" id="bench-web" version="1.0.0">
  <title>Benchmark Web Pages</title>
  <issuer name="Benchmark District PD"/>
  <competency>Builds accessible class pages.</competency>
  <levels>
    <level id="not-yet" score="0">Not yet</level>
    <level id="developing" score="1">Developing</level>
    <level id="proficient" score="2">Proficient</level>
  </levels>
  <evidence>
    <item id="site" kind="folder" path="site">The class site.</item>
  </evidence>
  <criteria>
    <criterion id="pages" weight="1" evidence="site">
      <title>Accessible pages</title>
      <evaluator kind="web" pages="." checks="well-formed accessibility links responsive">
        <assert id="one-h1" select="h1" min="1" max="1">Use exactly one h1.</assert>
        <assert id="nav" select="nav a[href]" min="3">Link the other pages from a nav.</assert>
        <assert id="main" xpath="count(//main) = 1">Use one main element.</assert>
        <level-at passed="90%" level="proficient"/>
        <level-at passed="60%" level="developing"/>
      </evaluator>
    </criterion>
  </criteria>
  <mastery>
    <every-criterion at-least="developing"/>
  </mastery>
</microcredential>
"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:mastery:submission:1" credential="bench-web" version="1.0.0" attempt="1">
  <candidate id="bench-web-1" name="Benchmark Teacher"/>
  <submitted>2026-11-20T10:00:00Z</submitted>
  <evidence>
    <answer item="site" path="site"/>
  </evidence>
</submission>
"""

WORDS = ("students families homework reading science garden lab notebook question evidence "
         "explain predict measure observe compare record share reflect practice discuss").split()


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."


def page(rng, index, count):
    others = [f"page-{rng.randrange(count):04d}.html" for _ in range(6)]
    flawed = rng.random() < 0.2
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '  <meta charset="utf-8">',
        '  <meta name="viewport" content="width=device-width, initial-scale=1">' if not flawed else "",
        f"  <title>Class page {index}</title>",
        '  <link rel="stylesheet" href="css/site.css">',
        "</head>",
        "<body>",
        '  <header><nav aria-label="Class pages"><ul>',
    ]
    parts += [f'    <li><a href="{other}">Page {other[5:9]}</a></li>' for other in others[:4]]
    parts += ["  </ul></nav></header>", '  <main id="content">', f"    <h1>Class page {index}</h1>"]
    section = 0
    while sum(len(p) for p in parts) < 48_000:
        section += 1
        level = 4 if flawed and section == 3 else 2
        parts.append(f'    <section id="s{section}"><h{level}>Section {section}</h{level}>')
        for _ in range(rng.randint(2, 5)):
            parts.append(f"      <p>{sentence(rng)} {sentence(rng)} {sentence(rng)}</p>")
        kind = section % 4
        if kind == 0:
            parts.append("      <ul>" + "".join(f"<li>{sentence(rng)}</li>" for _ in range(5)) + "</ul>")
        elif kind == 1:
            rows = "".join(f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 99)}</td></tr>" for _ in range(8))
            parts.append(f"      <table><caption>Scores</caption><tr><th>Task</th><th>Score</th></tr>{rows}</table>")
        elif kind == 2:
            alt = "" if flawed and section == 2 else ' alt="A diagram of the lab setup"'
            parts.append(f'      <figure><img src="images/diagram-{section % 5}.svg"{alt}><figcaption>{sentence(rng)}</figcaption></figure>')
        else:
            target = "missing-page.html" if flawed and section == 3 else others[4]
            parts.append(f'      <p>See <a href="{target}">the homework page</a> or <a href="#s1">the first section</a>.</p>')
        parts.append("    </section>")
    parts += [
        '    <form method="post" action="/contact"><fieldset><legend>Ask a question</legend>',
        '      <label for="q">Question</label><textarea id="q" name="q"></textarea>',
        '      <label for="e">Email</label><input id="e" name="e" type="email">',
        '      <button type="submit">Send</button></fieldset></form>',
        "  </main>",
        "  <footer><p>Room 12</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    os.makedirs(f"{out}/rubrics/bench-web", exist_ok=True)
    with open(f"{out}/rubrics/bench-web/rubric.xml", "w") as f:
        f.write(RUBRIC)
    site = f"{out}/submission/site"
    os.makedirs(f"{site}/css", exist_ok=True)
    os.makedirs(f"{site}/images", exist_ok=True)
    with open(f"{out}/submission/submission.xml", "w") as f:
        f.write(MANIFEST)
    with open(f"{site}/css/site.css", "w") as f:
        f.write("body { font-family: sans-serif; }\n@media (max-width: 600px) { nav ul { display: block; } }\n")
    for n in range(5):
        with open(f"{site}/images/diagram-{n}.svg", "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n')
    for index in range(count):
        with open(f"{site}/page-{index:04d}.html", "w") as f:
            f.write(page(rng, index, count))


if __name__ == "__main__":
    main()
