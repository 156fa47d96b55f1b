"""A model's training header as JSON: the attributes and class of the data it was
trained on, without rows, so a model file says what it takes and a loaded model can
refuse data of another shape. Kept apart from the archive format (``modelfile.py``):
wrappers (FilteredClassifier, InputMappedClassifier) store their inner model's header
the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.gc_pause import cycles_uncollected
from workbench.data.dataset import Attribute, AttributeType, Dataset

# Attributes a model's training header may list: above the widest data a learner is
# given in practice (gene expression: ~60 000 columns; a bag of words of a large
# corpus: ~150 000). Each costs Python objects and a column in every row the model is
# given, and model.json's 64 MB could otherwise list 1.5 M (one took 48 s and 1 GB to
# refuse; 1 M still took seconds just to build the header).
MAX_HEADER_ATTRIBUTES = 250_000
# JSON objects ('{') a model.json may hold, counted in its bytes before it is parsed:
# parsing is what costs (1.5 M attributes of a few bytes each, 54 MB: 6.9 s and 520 MB
# before the attribute count could be looked at). Bytes cannot tell a crafted header
# from a real one (250 000 attributes take 15 MB with short names, 37 MB with names of
# 100 characters, more with nominal labels), but every attribute is one object, and so
# the count can: a model holds its training header and, in a wrapper (FilteredClassifier,
# InputMappedClassifier), its inner model's, each at most MAX_HEADER_ATTRIBUTES, with
# room for its state (a few objects; strings holding a '{' count too). The writer
# refuses a model over it, so every file written reads back.
MAX_MODEL_JSON_OBJECTS = 2 * MAX_HEADER_ATTRIBUTES + 50_000

def header_to_json(header: Dataset) -> dict[str, Any]:
    """The attributes and class of a dataset, without its rows."""
    return {"relation": header.relation,
            "class_index": header.class_index,
            "attributes": [_attribute_to_json(a) for a in header.attributes]}


def _attribute_to_json(attribute: Attribute) -> dict[str, Any]:
    out: dict[str, Any] = {"name": attribute.name, "type": str(attribute.type)}
    if attribute.type is AttributeType.NOMINAL:
        out["values"] = list(attribute.values)
    if attribute.type is AttributeType.DATE:
        out["date_format"] = attribute.date_format
    if attribute.type is AttributeType.RELATIONAL:
        out["relation"] = [_attribute_to_json(a) for a in attribute.relation]
    return out


def header_from_json(data: Mapping[str, Any]) -> Dataset:
    """Rebuild an empty dataset (a header) from ``header_to_json``'s output; more than
    ``MAX_HEADER_ATTRIBUTES`` attributes are refused before any is built."""
    declared = data.get("attributes") if isinstance(data, Mapping) else None
    if isinstance(declared, list) and len(declared) > MAX_HEADER_ATTRIBUTES:
        raise WorkbenchError(f"model.json header.attributes lists {len(declared)} "
                             f"attributes (expected at most {MAX_HEADER_ATTRIBUTES:,}, "
                             f"the most a model file may be trained on)")
    try:
        with cycles_uncollected():
            attributes = [_attribute_from_json(a) for a in data["attributes"]]
    except (KeyError, TypeError, ValueError) as error:
        raise WorkbenchError(f"the training header is malformed: {error!r}") from None
    class_index = data.get("class_index")
    # The writer stores an attribute's position or null. Dataset would also take -1 (the
    # last attribute) or "4" (a string), which no save of ours makes: a damaged header.
    if class_index is not None and not (
            type(class_index) is int and 0 <= class_index < len(attributes)):
        raise WorkbenchError(f"model.json header.class_index is {class_index!r} (expected "
                             f"null or a whole number in 0..{len(attributes) - 1})")
    try:
        return Dataset(str(data["relation"]), attributes, np.zeros((0, len(attributes))),
                       class_index=class_index)
    except (KeyError, TypeError, ValueError) as error:
        raise WorkbenchError(f"the training header is malformed: {error!r}") from None


# The attribute types by the names header_to_json writes: looked up in a dict, since
# calling the enum costs microseconds an attribute (22 s for 3 M of them, profiled).
_KINDS = {str(kind): kind for kind in AttributeType}


def _attribute_from_json(data: Mapping[str, Any]) -> Attribute:
    kind = _KINDS.get(data["type"])
    if kind is None:
        raise ValueError(f"attribute type {str(data['type'])[:40]!r} is not one of "
                         f"{', '.join(_KINDS)}")
    if kind is AttributeType.NOMINAL:
        return Attribute.nominal(str(data["name"]), [str(v) for v in data["values"]])
    if kind is AttributeType.DATE:
        return Attribute(str(data["name"]), kind, date_format=data.get("date_format"))
    if kind is AttributeType.RELATIONAL:
        return Attribute.relational(str(data["name"]),
                                    [_attribute_from_json(a) for a in data["relation"]])
    return Attribute(str(data["name"]), kind)
