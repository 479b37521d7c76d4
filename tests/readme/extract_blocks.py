#!/usr/bin/env python3
"""Writes every ```cpp block of a Markdown file to its own source file.

Usage: extract_blocks.py <README.md> <output dir>

A block that defines `main` (or uses `CAF_MAIN`) is a whole program: it is written to
program_<n>.cpp as is, after program_prelude.hpp if it includes nothing
itself (the README leaves the includes out of some programs). Any other block is a fragment of a function body: it is
written into fragment_<n>.cpp, inside a function that has the names the
README's fragments use in scope (see context.hpp). Prints one line per file,
"<kind> <path> <line of the block in the README>".
"""

import pathlib
import re
import sys

FRAGMENT = """// Generated from {readme}, line {line}: a fragment of the README.
#include "context.hpp"

namespace readme {{

void fragment_{n}(actorpool::pool& p, caf::actor_system& sys,
                 caf::event_based_actor* self, std::vector<int> xs, long n) {{
{body}
}}

}} // namespace readme
"""


def blocks(text):
    """(line number, body) of every ```cpp block."""
    found, body, start = [], None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if body is None and line.strip() == "```cpp":
            body, start = [], number
        elif body is not None and line.strip() == "```":
            found.append((start, "\n".join(body) + "\n"))
            body = None
        elif body is not None:
            body.append(line)
    return found


def main():
    readme, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for n, (line, body) in enumerate(blocks(readme.read_text()), 1):
        if re.search(r"^(int main\(|CAF_MAIN\()", body, re.MULTILINE):
            path = out / f"program_{n}.cpp"
            prelude = "" if "#include" in body else \
                '#include "program_prelude.hpp"\n\n'
            text = f"// Generated from {readme}, line {line}.\n{prelude}{body}"
            kind = "program"
        else:
            path = out / f"fragment_{n}.cpp"
            text = FRAGMENT.format(readme=readme, line=line, n=n, body=body)
            kind = "fragment"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        print(f"{kind} {path} {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
