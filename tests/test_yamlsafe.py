"""The safe YAML loader: limits, tags and recursive aliases give one clear problem."""

from __future__ import annotations

import pytest

from corridors.yamlsafe import YamlError, YamlLimits, load_with_lines, read_text


def test_values_and_lines() -> None:
    value, lines = load_with_lines("a: 1\nb:\n  - x\n  - {c: 2.5}\n", file="s.yaml")
    assert value == {"a": 1, "b": ["x", {"c": 2.5}]}
    assert lines[("a",)] == 1
    assert lines[("b", 1)] == 4
    assert lines[("b", 1, "c")] == 4


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)

CASES = {
    "alias bomb": (BOMB, "expands to more than", None),
    "recursive alias": ("a: &x\n  b: *x\n", "recursive", 1),
    "deep nesting": ("x: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than", 1),
    "python tag": (
        "run: !!python/name:os.system\n",
        "unsupported YAML tag '!!python/name:os.system'",
        1,
    ),
    "custom tag": ("a: 1\nb: !include other.yaml\n", "unsupported YAML tag '!include'", 2),
    "complex key": ("? [a, b]\n: 1\n", "a key must be a plain value", 1),
    "syntax": ("a: [1, 2\nb: 3\n", "not valid YAML", None),
    "duplicate key": ("a: 1\na: 2\n", "key written twice", 2),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_yaml_is_one_problem(case: str) -> None:
    text, message, line = CASES[case]
    with pytest.raises(YamlError) as info:
        load_with_lines(text, file="s.yaml")
    (problem,) = info.value.problems
    assert problem.file == "s.yaml"
    assert message in problem.message
    if line is not None:
        assert problem.row == line


def test_a_moderate_alias_use_is_fine() -> None:
    value, _ = load_with_lines("base: &b {x: 1}\none: *b\ntwo: *b\n", file="s.yaml")
    assert value == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_size_limit(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(YamlError, match="too large"):
        read_text(path, limits=YamlLimits(max_bytes=100))
    path.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(YamlError) as info:
        read_text(path)
    assert info.value.problems[0].row == 2
