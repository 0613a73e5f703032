"""What citeproc-py lacks and Pandoc's citeproc does, made up by wrapping citeproc-py's own
model methods (installed when this module is imported; each wrapper acts only while
:class:`~make_book.citations.processor.Processor` renders, through the context variables
here): suppress-author and author-in-text cites (``Names.render``), disambiguation
(``Layout.render_children``, ``Name.process``, ``Name.get_option``,
``Date_Part.process``, ``Text._variable``, ``If.render``) and noticing an "ibid."
(``Text._term``). Split from :mod:`make_book.citations.processor`: see its docstring for
why each exists.
"""

from __future__ import annotations

import contextvars

from citeproc.model import ConditionFailed, Date_Part, If, Layout, Name, Names, Text

from make_book.citations import disambiguation

# (id(item) -> the first <names> output of the item, None until it renders; whether that
# output is taken out of the item's rendering or only noted)
_TAKEN: contextvars.ContextVar[tuple[dict[int, str | None], bool] | None] = \
    contextvars.ContextVar("make_book_cite_names", default=None)
_names_render = Names.render
_layout_render_children = Layout.render_children
_text_term = Text._term
_date_part_process = Date_Part.process
_name_get_option = Name.get_option
_name_process = Name.process
_text_variable = Text._variable

# the item being rendered at the top of a cite or bibliography entry, with what
# disambiguation decided for it (and, while probing, what it printed)
_ITEM: contextvars.ContextVar[disambiguation.ItemState | None] = \
    contextvars.ContextVar("make_book_cite_item", default=None)
_DISAMBIGUATION: contextvars.ContextVar[disambiguation.Decisions | None] = \
    contextvars.ContextVar("make_book_disambiguation", default=None)


def _render_layout_children(self, item, *args, **kwargs):
    decisions = _DISAMBIGUATION.get()
    if decisions is None:
        return _layout_render_children(self, item, *args, **kwargs)
    state = decisions.state(item)
    token = _ITEM.set(state)
    try:
        text = _layout_render_children(self, item, *args, **kwargs)
    finally:
        _ITEM.reset(token)
    if state.record is not None:
        state.record.append(" ".join(str(text or "").split()))
    return text


def _top_level(element) -> bool:
    return not element.xpath_search("./ancestor::cs:names")


def _process_date_part(self, date, context=None):
    text = _date_part_process(self, date, context)
    state = _ITEM.get()
    if (state is not None and state.suffix and not state.suffix_used
            and not state.explicit_suffix and self.get("name") == "year" and text):
        state.suffix_used = True
        return str(text) + state.suffix
    return text


def _text_variable_value(self, item, context):
    if self.get("variable") == "year-suffix":
        state = _ITEM.get()
        if state is None or not state.suffix:
            return None
        state.suffix_used = True
        return state.suffix
    return _text_variable(self, item, context)


class _OneName:
    """An item whose ``variable`` holds its first name only (the rest as the item)."""

    def __init__(self, item, variable: str, name):
        self.item = item
        self.reference = {variable: [name]}

    def __getattr__(self, attr):
        return getattr(self.item, attr)


def _process_name(self, item, variable, context=None, sort_options=None, **kwargs):
    """A first author the given-name step picked is printed with initials or given name
    where the style prints family names only: that name is rendered long and put in."""
    text = _name_process(self, item, variable, context, sort_options, **kwargs)
    state = _ITEM.get()
    names = item.reference.get(variable, None) or []
    if (state is None or not state.given or sort_options is not None or not names
            or state.expanding or not text):
        return text
    first = names[0]
    how = state.given.get(disambiguation.name_of(first))
    if how is None or _name_get_option(self, "form", context) != "short":
        return text
    _, family, _, particle, _ = first.parts()
    short = " ".join(n for n in (particle, family) if n)
    state.expanding = how
    try:
        long = _name_process(self, _OneName(item, variable, first), variable, context,
                             sort_options, **kwargs)
    finally:
        state.expanding = ""
    if not long or short not in str(text):
        return text
    return str(text).replace(short, str(long), 1)


def _text_term_value(self, item):
    state = _ITEM.get()
    if state is not None and self.get("term") == "ibid":
        state.ibid = True
    return _text_term(self, item)


def _name_option(self, name, context=None, sort_options=None):
    value = _name_get_option(self, name, context, sort_options)
    state = _ITEM.get()
    if state is not None and state.expanding and sort_options is None:
        if name == "form":
            return "long"
        if name == "initialize-with":
            return (value or ". ") if state.expanding == "initials" else None
        if name == "name-as-sort-order":
            return None
    if (state is not None and state.names and sort_options is None
            and name in ("et-al-use-first", "et-al-subsequent-use-first")):
        return max(value, state.names)
    return value


def _render_names(self, item, *args, **kwargs):
    text = _names_render(self, item, *args, **kwargs)
    current = _ITEM.get()
    if current is not None and current.record is not None and text and _top_level(self):
        variable = self.get("variable").split()[0].replace("-", "_")
        current.names_seen.append(tuple(item.reference.get(variable, None) or ()))
    state = _TAKEN.get()
    if state is None or not text:
        return text
    taken, remove = state
    if taken.get(id(item), "") is None and not self.xpath_search("./ancestor::cs:names"):
        taken[id(item)] = str(text)
        return None if remove else text
    return text


_if_render = If.render


def _render_if(self, item, *args, **kwargs):
    if "disambiguate" in self.attrib and not any(
            a in self.attrib for a in ("type", "variable", "is-numeric", "is-uncertain-date",
                                       "locator", "position")):
        state = _ITEM.get()
        if state is None or not state.condition:
            raise ConditionFailed
    return _if_render(self, item, *args, **kwargs)


Names.render = _render_names
If.render = _render_if
Layout.render_children = _render_layout_children
Text._term = _text_term_value
Date_Part.process = _process_date_part
Name.get_option = _name_option
Name.process = _process_name
Text._variable = _text_variable_value
