#!/usr/bin/env bash
# Makes sure the services and system packages the tests need are here, on a machine that has
# only Go, git, make and Debian's packages: a MariaDB answering on 127.0.0.1:3306 with a
# passwordless root (integration tests), mariadbd + mariadb-install-db (the end-to-end suite
# runs a private server it can stop), a PostgreSQL answering on 127.0.0.1:5432 (trust auth),
# openssl and the system CA bundle (runtime images).
# Idempotent and quick when everything is present. `make test` calls it; `make demo` calls
# `.ci/deps.sh images`, which only makes sure of the CA bundle the runtime images carry.
set -euo pipefail

need_pkg() { # need_pkg COMMAND PACKAGE...
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "[deps] $1 is missing: install the Debian package(s) $* (needs root)" >&2
    return 1
  fi
  echo "[deps] installing ${*:2}" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${@:2}" >/dev/null
}

if [ "${1:-}" = images ]; then
  [ -f /etc/ssl/certs/ca-certificates.crt ] || need_pkg update-ca-certificates ca-certificates
  exit 0
fi

mariadb_up() { mariadb -uroot -h127.0.0.1 -P3306 -e 'SELECT 1' >/dev/null 2>&1; }

need_pkg mariadb mariadb-client
need_pkg mariadbd mariadb-server
need_pkg mariadb-install-db mariadb-server
need_pkg openssl openssl
[ -f /etc/ssl/certs/ca-certificates.crt ] || need_pkg update-ca-certificates ca-certificates

if ! mariadb_up; then
  echo "[deps] starting MariaDB on 127.0.0.1:3306" >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1 --port=3306
  for _ in $(seq 1 60); do mariadb_up && break; sleep 1; done
  if ! mariadb_up; then
    # A fresh Debian install lets root in through the socket only; the tests come over TCP.
    mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" 2>/dev/null || true
  fi
  mariadb_up || { echo "[deps] MariaDB does not answer on 127.0.0.1:3306 as root without a password" >&2; exit 1; }
fi

# PostgreSQL on 127.0.0.1:5432 for the PostgreSQL source's tests: Debian's cluster, with the
# client's user (root) as a superuser role and trust for loopback connections.
pg_up() { psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; }
need_pkg psql postgresql-client
[ -d /usr/lib/postgresql ] || need_pkg pg_ctlcluster postgresql
if ! pg_up; then
  echo "[deps] starting PostgreSQL on 127.0.0.1:5432" >&2
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Tests connect over loopback without a password, as on the CI machines.
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null ||
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
  for _ in $(seq 1 60); do pg_up && break; sleep 1; done
  pg_up || { echo "[deps] PostgreSQL does not answer on 127.0.0.1:5432 as postgres" >&2; exit 1; }
fi
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'root'" | grep -q 1 ||
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE ROLE root LOGIN SUPERUSER'
