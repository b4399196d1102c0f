#!/usr/bin/env bash
# A hand-run soak of the cluster under repeated crashes (docs/cluster.md, "Faults, measured"): three silos and a gateway
# on Azurite, every-event durability, the whole REES46 head replayed while silos are SIGKILLed in turn and restarted.
#   tools/cluster-soak.sh [events] [kills]        e.g. tools/cluster-soak.sh 17000 5
# MICROMOMENT_FAULT_MEMBERSHIP=defaults runs it with Orleans' default membership timing. Needs npm ci in tools/azurite
# and the REES46 sample; prints one line per kill and a total.
set -euo pipefail
cd "$(dirname "$0")/.."
export MICROMOMENT_SOAK=1
[ $# -ge 1 ] && export MICROMOMENT_SOAK_EVENTS="$1"
[ $# -ge 2 ] && export MICROMOMENT_SOAK_KILLS="$2"
dotnet build tests/MicroMoment.Cli.Tests -c Release
dotnet test tests/MicroMoment.Cli.Tests -c Release --no-build --filter "FullyQualifiedName~ClusterSoakTests" --logger "console;verbosity=detailed"
