#!/bin/sh
# Install Langelis on a Debian machine as the service langelis: its user,
# its folders, the program, the systemd unit, the office file and the
# nightly backup (README, "Install in a hall"). Run it as root from the
# repository after `make build`. Running it again updates the program and
# the unit and keeps the office file.
#
#   deploy/install.sh [--prefix DIR] [--binary FILE] [--office FILE]
#
# --prefix installs under DIR instead of / (the test does, as it runs these
# steps in CI); then no user is made and systemd is not told.
set -eu

prefix=""
binary="bin/langelis"
office="office/example.yaml"
while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) prefix="${2%/}"; shift 2 ;;
	--binary) binary="$2"; shift 2 ;;
	--office) office="$2"; shift 2 ;;
	*) echo "install.sh: unknown argument $1 (--prefix DIR, --binary FILE, --office FILE)" >&2; exit 2 ;;
	esac
done
here="$(dirname "$0")"
if [ ! -x "$binary" ]; then
	echo "install.sh: no program at $binary: run make build first, or give --binary" >&2
	exit 1
fi

install -d -m 0755 "$prefix/usr/local/bin" "$prefix/etc/langelis" "$prefix/etc/systemd/system" "$prefix/etc/cron.d"
install -m 0755 "$binary" "$prefix/usr/local/bin/langelis"
install -m 0644 "$here/langelis.service" "$prefix/etc/systemd/system/langelis.service"
install -m 0644 "$here/langelis-backup.cron" "$prefix/etc/cron.d/langelis-backup"
if [ -e "$prefix/etc/langelis/office.yaml" ]; then
	echo "Kept $prefix/etc/langelis/office.yaml."
else
	install -m 0644 "$office" "$prefix/etc/langelis/office.yaml"
	echo "Wrote $prefix/etc/langelis/office.yaml from $office: describe your office in it."
fi

if [ -n "$prefix" ]; then
	install -d -m 0750 "$prefix/var/lib/langelis"
	install -d -m 0700 "$prefix/var/backups/langelis"
	echo "Installed under $prefix."
	exit 0
fi
if ! getent passwd langelis >/dev/null; then
	useradd --system --user-group --home-dir /var/lib/langelis --no-create-home --shell /usr/sbin/nologin langelis
fi
install -d -o langelis -g langelis -m 0750 /var/lib/langelis
install -d -o langelis -g langelis -m 0700 /var/backups/langelis
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
fi
echo "Installed. Next: edit /etc/langelis/office.yaml, add the first admin, then systemctl enable --now langelis."
