#!/bin/sh
# One run of the sharded build on the cluster: content, then the shards, then the portal.
# Run it from the admin host or a CI job with kubectl access (a cron job every 5 minutes, like
# the single-server timer; a run in which nothing changed takes seconds per shard).
#   deploy/kubernetes/jalankan.sh [namespace]
set -eu
here=$(dirname "$0")
ns=${1:-kelurahan}
k() { kubectl --namespace "$ns" "$@"; }

# Until the Job is Complete (go on) or Failed (stop here, the site stays as it was).
finished() {
  while :; do
    state=$(k get job "$1" -o jsonpath='{.status.conditions[?(@.status=="True")].type}')
    case "$state" in
      *Complete*) return 0 ;;
      *Failed*) echo "job $1 gagal: kubectl -n $ns logs job/$1" >&2; exit 1 ;;
    esac
    sleep 10
  done
}

k apply -f "$here/pvc.yaml"
for step in konten shard portal; do
  k delete job "kelurahan-$step" --ignore-not-found --wait=true
done
k apply -f "$here/1-konten-job.yaml"
finished kelurahan-konten
k apply -f "$here/2-shard-job.yaml"
finished kelurahan-shard
k apply -f "$here/3-portal-job.yaml"
finished kelurahan-portal
echo "situs lengkap di volume kelurahan-hasil: /hasil/site"
