#!/bin/sh
# SPDX-License-Identifier: MIT
# slurm-catalogue.sh CATALOGUE FORMAT OUTDIR [OPTION]... - one task of a Slurm job
# array converting the files of chunk K (= $SLURM_ARRAY_TASK_ID) of a
# catalogue split by split-catalogue.sh (doc/batch.md):
#   sh examples/batch/split-catalogue.sh corpus/catalogue.csv 8
#   sbatch --array=1-8 --cpus-per-task=4 examples/batch/slurm-catalogue.sh \
#     corpus/catalogue.csv epub /shared/out
# A task that is killed (time limit, preemption) is finished by running it
# again (sbatch --array=K ...): --skip-up-to-date keeps what it converted.
# Its report is OUTDIR/.emuconv/report-K.json.  $EMUCONV names the program
# (default: emuconv on $PATH); the OPTIONs are given to it (the same in
# every run of a task: they are part of what --skip-up-to-date compares).
#SBATCH --job-name=emuconv
#SBATCH --requeue
set -eu
if [ $# -lt 3 ]; then
  echo "usage: sbatch --array=1-N $0 CATALOGUE FORMAT OUTDIR [OPTION]..." >&2
  exit 2
fi
cat=$1 to=$2 out=$3
shift 3
k=${SLURM_ARRAY_TASK_ID:?run as a task of a job array (sbatch --array=1-N)}
case $cat in
  *.*) chunk=${cat%.*}-$k.${cat##*.} ;;
  *) chunk=$cat-$k ;;
esac
mkdir -p "$out/.emuconv"
exec "${EMUCONV:-emuconv}" -q -t "$to" -O "$out" -j "${SLURM_CPUS_PER_TASK:-1}" \
  --catalogue "$chunk" --catalogue-required --skip-up-to-date \
  --report "$out/.emuconv/report-$k.json" "$@"
