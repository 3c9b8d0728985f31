"""Griffe extension: read the Sphinx markup of siting's numpydoc docstrings as Markdown.

The docstrings in ``siting/`` are numpydoc with reStructuredText roles and
directives (``:func:`solve```, ``:math:`x```, ``.. math::``, ``Usage::``).
mkdocstrings renders docstrings as Markdown, so before griffe parses them this
extension rewrites, in every docstring of the package:

- ``:func:`x``` and the other Python roles (``class``, ``mod``, ``meth``,
  ``attr``, ``data``, ``exc``, ``obj``, ``const``) into an *optional*
  cross-reference: a link where ``x`` is documented on the site, plain code
  where it is not (a private module, pvlib, numpy). Names are resolved in
  the scope of the docstring's object, so ``:func:`accelerators``` in
  ``siting.demand.workloads`` points to ``siting.demand.workloads.accelerators``;
  ``~`` shows the last component only, as in Sphinx;
- ``:math:`x``` into inline math ``\\(x\\)`` and ``.. math::`` blocks into
  ``$$ ... $$`` (aligned when the block has ``&`` or ``\\\\``), for
  pymdownx.arithmatex and MathJax;
- a paragraph ending in ``::`` (a literal block follows) into one ending in
  ``:``; the indented block that follows is a Markdown code block already.

Links written by hand in the documentation pages (``[x][siting.solve]``) are
not optional: a broken one fails ``mkdocs build --strict``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(func|class|mod|meth|attr|data|exc|obj|const):`(~?)([^`<]+?)(?:\s*<([^`>]+)>)?`")
_TERM = re.compile(
    r"^(?P<indent>[ \t]*):(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const):`(?P<tilde>~?)(?P<name>[\w.]+)`[ \t]*$",
    re.MULTILINE,
)
_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_MATH_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<rest>.*)$")
_LITERAL = re.compile(r"(?<=\S)::[ \t]*$")


def _resolve(obj: griffe.Object, name: str) -> str:
    """The full path of ``name`` as seen from ``obj`` (``name`` itself if unknown)."""
    name = name.strip().lstrip(".")
    head, _, tail = name.partition(".")
    scope: Any = obj
    while scope is not None:
        try:
            path = scope.resolve(head)
        except (griffe.NameResolutionError, AttributeError, KeyError):
            scope = scope.parent
            continue
        return f"{path}.{tail}" if tail else path
    return name


def _roles(obj: griffe.Object, text: str) -> str:
    # a line that is only a role is an item name of a numpydoc section ("Modules",
    # "Attributes"): griffe wants the bare name there
    text = _TERM.sub(lambda m: m["indent"] + (m["name"].rsplit(".", 1)[-1] if m["tilde"] else m["name"]), text)

    def link(match: re.Match[str]) -> str:
        _kind, tilde, title, target = match.groups()
        target = (target or title).strip()
        shown = title.strip()
        if target == shown and tilde:
            shown = shown.rsplit(".", 1)[-1]
        identifier = _resolve(obj, target)
        return f'<autoref identifier="{identifier}" optional>`{shown}`</autoref>'

    return _ROLE.sub(link, text)


def _math_blocks(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _MATH_DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = match["indent"]
        body = [match["rest"]] if match["rest"].strip() else []
        i += 1
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > len(indent)):
            body.append(lines[i].strip())
            i += 1
        while body and not body[-1]:
            body.pop()
        while body and not body[0]:
            body.pop(0)
        tex = "\n".join(f"{indent}{line}" for line in body if line)
        if "&" in tex or "\\\\" in tex:
            tex = f"{indent}\\begin{{aligned}}\n{tex}\n{indent}\\end{{aligned}}"
        if out and out[-1].strip():
            out.append("")
        out += [f"{indent}$$", tex, f"{indent}$$"]
        if i < len(lines) and lines[i].strip():
            out.append("")
    return "\n".join(out)


def markdown(obj: griffe.Object, text: str) -> str:
    """``text``, a docstring of ``obj`` in numpydoc + reST, with its Sphinx markup as Markdown."""
    text = _math_blocks(text)
    text = _MATH_ROLE.sub(lambda m: f"\\({m[1]}\\)", text)
    text = _roles(obj, text)
    return "\n".join(_LITERAL.sub(":", line) if ".. " not in line else line for line in text.split("\n"))


def _bound_function(cls: griffe.Class, attr: griffe.Attribute) -> griffe.Function | None:
    """A method bound in a class body from a function of another module, as a Function of ``cls``.

    ``Scenario`` binds ``replace = replace`` and ``preset = classmethod(preset)``;
    griffe sees attributes there, mkdocstrings would show no method.
    """
    value, labels = attr.value, set()
    if isinstance(value, griffe.ExprCall) and str(value.function) in ("classmethod", "staticmethod"):
        labels.add(str(value.function))
        value = value.arguments[0] if len(value.arguments) == 1 else None
    if not isinstance(value, griffe.ExprName):
        return None
    try:
        # resolved in the module's scope: in the class's, the name is the attribute itself
        target = cls.modules_collection[cls.module.resolve(value.name)]
        while target.is_alias:
            target = target.target
    except (KeyError, griffe.NameResolutionError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    if not target.is_function:
        return None
    func = griffe.Function(
        attr.name,
        lineno=target.lineno,
        endlineno=target.endlineno,
        parameters=target.parameters,
        returns=target.returns,
        docstring=griffe.Docstring(target.docstring.value) if target.docstring else None,
    )
    func.labels |= labels
    return func


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        def bind(obj: griffe.Object) -> None:
            for name, member in list(obj.members.items()):
                if member.is_alias:
                    continue
                if obj.is_class and member.is_attribute and (func := _bound_function(obj, member)):
                    obj.set_member(name, func)
                elif member.is_module or member.is_class:
                    bind(member)

        bind(pkg)
        seen: set[int] = set()

        def visit(obj: griffe.Object) -> None:
            if id(obj) in seen:
                return
            seen.add(id(obj))
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj, obj.docstring.value)
            for member in obj.members.values():
                if not member.is_alias:
                    visit(member)

        visit(pkg)
