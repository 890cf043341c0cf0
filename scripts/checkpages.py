#!/usr/bin/env python3
"""Static checks of dsar's rendered pages, run by screenshots.sh.

Reads saved HTML pages and reports what a screenshot cannot show: inline
styles or scripts (blocked by the Content-Security-Policy), form controls
without a label, radio buttons and checkboxes outside a fieldset with a
legend, ARIA references to ids that do not exist, invalid fields whose
error is not tied to them, duplicate ids, and a missing lang or title.

    python3 scripts/checkpages.py page.html...

Prints one line per problem and "ok" per clean page; exits 1 if any page
has a problem. Standard library only.
"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        for n in [self.cur, *self.cur.ancestors()]:
            n.text += data


def check(path):
    t = Tree()
    with open(path, encoding="utf-8") as f:
        t.feed(f.read())
    nodes = list(t.root.walk())[1:]
    problems = []
    ids = {}
    for n in nodes:
        if "id" in n.attrs:
            if n.attrs["id"] in ids:
                problems.append(f"duplicate id {n.attrs['id']!r}")
            ids[n.attrs["id"]] = n
    labels = {n.attrs.get("for") for n in nodes if n.tag == "label"}

    for n in nodes:
        if "style" in n.attrs:
            problems.append(f"<{n.tag}> has a style attribute (blocked by the CSP)")
        if n.tag == "script":
            problems.append("a <script> element (blocked by the CSP)")
        if n.tag == "style":
            problems.append("a <style> element (blocked by the CSP)")
        for a in n.attrs:
            if a.startswith("on"):
                problems.append(f"<{n.tag}> has an {a} handler (blocked by the CSP)")
        for a in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (n.attrs.get(a) or "").split():
                if ref not in ids:
                    problems.append(f"<{n.tag} id={n.attrs.get('id')!r}> {a} names missing id {ref!r}")
        if n.tag == "a" and (n.attrs.get("href") or "").startswith("#") and len(n.attrs["href"]) > 1:
            if n.attrs["href"][1:] not in ids:
                problems.append(f"link to missing id {n.attrs['href']!r}")

        if n.tag in ("input", "textarea", "select"):
            typ = n.attrs.get("type", "text")
            if typ in ("hidden", "submit", "button"):
                continue
            name = n.attrs.get("id") or n.attrs.get("name")
            if n.attrs.get("id") not in labels and not n.attrs.get("aria-label") and not n.attrs.get("aria-labelledby"):
                problems.append(f"{n.tag} {name!r} has no label")
            if n.attrs.get("aria-invalid") == "true":
                desc = (n.attrs.get("aria-describedby") or "").split()
                if not any(d.endswith("-err") for d in desc):
                    problems.append(f"invalid {n.tag} {name!r} is not described by its error")
            if typ in ("radio", "checkbox"):
                fs = next((a for a in n.ancestors() if a.tag == "fieldset"), None)
                if fs is None or not any(c.tag == "legend" and c.text.strip() for c in fs.children):
                    problems.append(f"{typ} {name!r} is not in a fieldset with a legend")
                elif fs.attrs.get("aria-invalid") is None and "invalid" in (fs.attrs.get("class") or ""):
                    desc = (fs.attrs.get("aria-describedby") or "").split()
                    if not any(d.endswith("-err") for d in desc):
                        problems.append(f"invalid group {fs.attrs.get('id')!r} is not described by its error")

    html = next((n for n in nodes if n.tag == "html"), None)
    if html is None or not html.attrs.get("lang"):
        problems.append("<html> has no lang")
    title = next((n for n in nodes if n.tag == "title"), None)
    if title is None or not title.text.strip():
        problems.append("no <title>")
    if not any(n.tag == "h1" for n in nodes):
        problems.append("no <h1>")
    if not any(n.tag == "main" for n in nodes):
        problems.append("no <main>")
    return problems


def main(paths):
    bad = False
    for p in paths:
        problems = check(p)
        name = p.rsplit("/", 1)[-1]
        if problems:
            bad = True
            for msg in dict.fromkeys(problems):
                print(f"{name}: {msg}")
        else:
            print(f"{name}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
