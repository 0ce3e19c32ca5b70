#!/usr/bin/env python3
"""Write the JSON twin of each TOML plan given: `x.plan.toml` -> `x.plan.json`.

JSON mirrors TOML key for key (PLAN-FORMAT.md); dates become "YYYY-MM-DD" strings.
Only for authoring fixtures and examples: the tests read the committed files.
"""
import datetime
import json
import sys
import tomllib


def to_json(value):
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        plan = tomllib.load(f)
    target = path.removesuffix(".toml") + ".json"
    with open(target, "w", encoding="utf-8") as f:
        json.dump(to_json(plan), f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{path} -> {target}")
