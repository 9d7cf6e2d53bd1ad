#!/usr/bin/env python3
"""The operations kit parses and names only metrics `ledger serve` exports.

Usage: ops_kit_check.py REPO_ROOT. Exits 1 with a message per problem.
Checks ops/monitoring/{prometheus.yml,alerts.yml,grafana-dashboard.json} and
ops/systemd/ledger.service; every ledger_* metric in an alert or a panel must
be registered in ops/service/probes.cc (histogram suffixes stripped).
"""
import json
import re
import sys

import yaml

root = sys.argv[1]
problems = []
probes = open(f"{root}/ops/service/probes.cc").read()
exported = set(re.findall(r'\.Name\("(ledger_[a-z_]+)"\)', probes))
if not exported:
    problems.append("no metric names found in ops/service/probes.cc")


def check_metrics(where, expr):
    for name in re.findall(r"\b(ledger_[a-z_]+)", expr):
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if name not in exported and base not in exported:
            problems.append(f"{where}: {name} is not a metric of ledger serve")


config = yaml.safe_load(open(f"{root}/ops/monitoring/prometheus.yml"))
jobs = [c["job_name"] for c in config["scrape_configs"]]
if "ledger" not in jobs:
    problems.append("prometheus.yml: no scrape job `ledger`")
if "alerts.yml" not in config.get("rule_files", []):
    problems.append("prometheus.yml: rule_files does not load alerts.yml")

alerts = yaml.safe_load(open(f"{root}/ops/monitoring/alerts.yml"))
names = []
for group in alerts["groups"]:
    for rule in group["rules"]:
        where = f"alerts.yml {rule.get('alert', '?')}"
        names.append(rule.get("alert"))
        for field in ("alert", "expr"):
            if not rule.get(field):
                problems.append(f"{where}: no {field}")
        if rule.get("labels", {}).get("severity") not in ("warning", "critical"):
            problems.append(f"{where}: severity must be warning or critical")
        if not rule.get("annotations", {}).get("summary"):
            problems.append(f"{where}: no annotations.summary")
        check_metrics(where, str(rule.get("expr", "")))
for wanted in ("LedgerProjectionLag", "LedgerRejectionSpike", "LedgerChainBroken", "LedgerDiskLow"):
    if wanted not in names:
        problems.append(f"alerts.yml: no {wanted} alert")

dashboard = json.load(open(f"{root}/ops/monitoring/grafana-dashboard.json"))
if not dashboard.get("panels"):
    problems.append("grafana-dashboard.json: no panels")
for panel in dashboard.get("panels", []):
    if not panel.get("targets"):
        problems.append(f"dashboard panel {panel.get('title')}: no targets")
    for target in panel.get("targets", []):
        check_metrics(f"dashboard panel {panel.get('title')}", target.get("expr", ""))

unit = open(f"{root}/ops/systemd/ledger.service").read()
for needed in ("[Service]", "ExecStart=", " serve ", "KillSignal=SIGTERM", "ExecReload=/bin/kill -HUP"):
    if needed not in unit:
        problems.append(f"ledger.service: missing {needed!r}")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
