#!/bin/sh
# Put a backup in place of the store (README, "Install in a hall"). Stop
# the server first (systemctl stop langelis); the store it replaces is
# kept beside it as langelis.db.before-restore-TIME.
#
#   deploy/restore.sh [--prefix DIR] BACKUP
set -eu

prefix=""
if [ "${1:-}" = "--prefix" ]; then
	prefix="${2%/}"
	shift 2
fi
if [ $# -ne 1 ]; then
	echo "restore.sh: give the backup file: deploy/restore.sh /var/backups/langelis/langelis-2026-11-30.db" >&2
	exit 2
fi
backup="$1"
data="$prefix/var/lib/langelis"
if [ ! -s "$backup" ]; then
	echo "restore.sh: $backup is missing or empty" >&2
	exit 1
fi
# The running server notes itself in server.json and removes it when it stops.
if [ -f "$data/server.json" ]; then
	pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$data/server.json")
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		echo "restore.sh: the server is running (pid $pid): systemctl stop langelis first" >&2
		exit 1
	fi
fi
if [ -f "$data/langelis.db" ]; then
	kept="$data/langelis.db.before-restore-$(date +%Y%m%dT%H%M%S)"
	mv "$data/langelis.db" "$kept"
	echo "Kept the replaced store as $kept."
fi
cp "$backup" "$data/langelis.db.restoring"
chmod 0600 "$data/langelis.db.restoring"
if [ -z "$prefix" ]; then
	chown langelis:langelis "$data/langelis.db.restoring"
fi
mv "$data/langelis.db.restoring" "$data/langelis.db"
echo "Restored $backup. Start the server: systemctl start langelis."
