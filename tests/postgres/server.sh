# A private PostgreSQL server for the extension's test and benchmark; sourced, with $ext set
# to the extension's build folder (rubric.so in lib/, the control and SQL files in extension/).
#   1. a private copy of the server's installation in a temporary folder (the postgres, initdb
#      and pg_ctl programs copied, everything else linked), with the extension's files added:
#      the server finds its share and lib folders relative to its own program, so nothing of
#      the system's is changed and no root is needed to install;
#   2. initdb there, postgres on a Unix socket there (no TCP);
# and, on exit (also on failure or a signal: trap), the server stopped and the folder removed.
# Run as root (CI containers), the server runs as the `postgres` user (or nobody): it refuses
# root. Gives: $work (the folder), psql_ (psql connected to the server).
pg_config=${PG_CONFIG:-pg_config}
bindir=$("$pg_config" --bindir)
sharedir=$("$pg_config" --sharedir)
pkglibdir=$("$pg_config" --pkglibdir)

work=$(mktemp -d "${TMPDIR:-/tmp}/rubric-pg.XXXXXX")
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  getent passwd postgres >/dev/null || user=nobody
  run_as=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --)
fi
pgctl() { "${run_as[@]}" "$inst$bindir/pg_ctl" "$@"; }
cleanup() {
  local rc=$?
  if [ -f "$work/data/postmaster.pid" ]; then
    pgctl stop -D "$work/data" -m immediate >/dev/null 2>&1 || true
  fi
  if [ $rc -ne 0 ] && [ -f "$work/run/server.log" ]; then
    echo "--- server log ---"; tail -n 30 "$work/run/server.log"
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

# 1. The private installation: $inst + the server's own paths.
inst="$work/inst"
mkdir -p "$inst$bindir" "$inst$sharedir/extension" "$inst$pkglibdir"
cp "$bindir/postgres" "$bindir/initdb" "$bindir/pg_ctl" "$inst$bindir/"
for f in "$sharedir"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$inst$sharedir/"; done
for f in "$sharedir"/extension/*; do ln -s "$f" "$inst$sharedir/extension/"; done
for f in "$pkglibdir"/*; do ln -s "$f" "$inst$pkglibdir/"; done
cp "$ext/lib/rubric.so" "$inst$pkglibdir/"
cp "$ext/extension/rubric.control" "$ext/extension/"rubric--*.sql "$inst$sharedir/extension/"

# data: the cluster; run: the socket and the log (the server's user writes both).
mkdir -p "$work/data" "$work/run" "$work/results"
chmod 755 "$work"
[ ${#run_as[@]} -eq 0 ] || chown -R "$user" "$work/data" "$work/run"

# 2. The server, on a socket in $work/run only.
"${run_as[@]}" "$inst$bindir/initdb" -D "$work/data" -U rubric --auth=trust --no-sync -E UTF8 --no-locale >/dev/null
pgctl start -D "$work/data" -w -l "$work/run/server.log" -o "-c listen_addresses='' -k $work/run -p 54329 -c fsync=off" >/dev/null
psql_() { "$bindir/psql" -X -h "$work/run" -p 54329 -U rubric -d postgres "$@"; }

