#!/usr/bin/env bash
# Cluster web: the plan of `swarm plan --format sh`, as a script.
# It runs the steps of `swarm apply` one after the other, with ssh, curl, openssl and jq.
# Plan: 98 steps on 4 nodes: 39 ssh, 24 upload, 11 compose, 6 docker, 1 consul, 17 wait.
# No secret is written here: they are read from the environment or files when it runs.
set -euo pipefail

CLUSTER=web
STATE=.swarm/web
mkdir -p "$STATE" && chmod 700 "$STATE"
SSH_HOST_KEYS=accept-new
SSH_JUMP=

[ -s "$STATE/consul-acl-management.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-management.key")
CONSUL_ACL_MANAGEMENT="$(cat "$STATE/consul-acl-management.key")"
[ -s "$STATE/consul-acl-default.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-default.key")
CONSUL_ACL_DEFAULT="$(cat "$STATE/consul-acl-default.key")"
[ -s "$STATE/consul-acl-agent-web1.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-web1.key")
CONSUL_ACL_AGENT_WEB1="$(cat "$STATE/consul-acl-agent-web1.key")"
[ -s "$STATE/consul-acl-agent-web2.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-web2.key")
CONSUL_ACL_AGENT_WEB2="$(cat "$STATE/consul-acl-agent-web2.key")"
[ -s "$STATE/consul-acl-agent-web3.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-web3.key")
CONSUL_ACL_AGENT_WEB3="$(cat "$STATE/consul-acl-agent-web3.key")"
[ -s "$STATE/consul-acl-agent-web4.key" ] || (umask 077 && cat /proc/sys/kernel/random/uuid > "$STATE/consul-acl-agent-web4.key")
CONSUL_ACL_AGENT_WEB4="$(cat "$STATE/consul-acl-agent-web4.key")"

: "${WEB1_PUBLIC_ADDRESS:?no provider: set WEB1_PUBLIC_ADDRESS}" "${WEB1_PRIVATE_ADDRESS:=$WEB1_PUBLIC_ADDRESS}"
: "${WEB2_PUBLIC_ADDRESS:?no provider: set WEB2_PUBLIC_ADDRESS}" "${WEB2_PRIVATE_ADDRESS:=$WEB2_PUBLIC_ADDRESS}"
: "${WEB3_PUBLIC_ADDRESS:?no provider: set WEB3_PUBLIC_ADDRESS}" "${WEB3_PRIVATE_ADDRESS:=$WEB3_PUBLIC_ADDRESS}"
: "${WEB4_PUBLIC_ADDRESS:?no provider: set WEB4_PUBLIC_ADDRESS}" "${WEB4_PRIVATE_ADDRESS:=$WEB4_PUBLIC_ADDRESS}"

# --- helpers: ssh, files, waits, certificates, Docker and DigitalOcean API calls ---------------
on() {  # on USER HOST PORT KEY ARGS...: run ARGS on a node
  local user=$1 host=$2 port=$3 key=$4; shift 4
  ssh -o BatchMode=yes -o StrictHostKeyChecking="$SSH_HOST_KEYS" -o ConnectTimeout=10 ${SSH_JUMP:+-J "$SSH_JUMP"} \
    -i "$key" -p "$port" "$user@$host" "$@"
}
put() {  # put NODE PATH MODE < CONTENT: write a file on a node, readable only as MODE says
  "on_$1" "sh -c 'umask 077 && mkdir -p \"\$(dirname $2)\" && cat > $2.swarm-new && chmod $3 $2.swarm-new && { mv -f $2.swarm-new $2 2>/dev/null || { cat $2.swarm-new > $2 && rm -f $2.swarm-new; }; }'"
}
wait_until() {  # wait_until SECONDS WHAT COMMAND...: retry COMMAND every 2 s until it succeeds
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "timed out waiting for $what" >&2; return 1; fi
    sleep 2
  done
}
compose_up() {  # compose_up NODE PROJECT FILE
  "on_$1" "if docker compose version >/dev/null 2>&1; then docker compose -p $2 -f $3 up -d --remove-orphans; else docker-compose -p $2 -f $3 up -d --remove-orphans; fi"
}
docker_api() {  # docker_api HOST PORT METHOD PATH [BODY]: the Engine API with the cluster's client certificate
  curl -fsS --cacert "$STATE/ca.pem" --cert "$STATE/cert.pem" --key "$STATE/key.pem" -X "$3" \
    -H 'Content-Type: application/json' ${5:+--data "$5"} "https://$1:$2$4"
}
consul_api() {  # consul_api HOST PORT METHOD PATH [BODY]: Consul's HTTPS API, client certificate and management token (not on a command line)
  curl -fsS --cacert "$STATE/ca.pem" --cert "$STATE/cert.pem" --key "$STATE/key.pem" -X "$3" \
    -H @<(printf 'X-Consul-Token: %s\n' "$CONSUL_ACL_MANAGEMENT") ${5:+--data-binary @<(printf '%s' "$5")} "https://$1:$2$4"
}
consul_acl_policy() {  # consul_acl_policy HOST PORT NAME BODY: creates the policy, or brings it in line
  local id
  id=$(consul_api "$1" "$2" GET /v1/acl/policies | jq -r --arg name "$3" '.[] | select(.Name == $name) | .ID')
  consul_api "$1" "$2" PUT "/v1/acl/policy${id:+/$id}" "$4" >/dev/null
}
consul_acl_token() {  # consul_acl_token HOST PORT ACCESSOR BODY: creates the token, or brings it in line
  if consul_api "$1" "$2" GET "/v1/acl/token/$3" >/dev/null 2>&1; then
    consul_api "$1" "$2" PUT "/v1/acl/token/$3" "$4" >/dev/null
  else
    consul_api "$1" "$2" PUT /v1/acl/token "$4" >/dev/null
  fi
}
consul_leave() {  # consul_leave NODE_HOST SERVER_HOST PORT NODE: the node leaves Consul; a node that is gone is forced out
  consul_api "$1" "$3" PUT /v1/agent/leave >/dev/null 2>&1 || {
    until consul_api "$2" "$3" GET /v1/agent/members | jq -e --arg n "$4" 'any(.[]; .Name == $n and .Status != 1)' >/dev/null; do sleep 1; done
    consul_api "$2" "$3" PUT "/v1/agent/force-leave/$4" >/dev/null
  }
  until ! consul_api "$2" "$3" GET /v1/operator/raft/configuration | jq -e --arg n "$4" 'any(.Servers[]; .Node == $n)' >/dev/null; do sleep 1; done
}
make_ca() {
  [ -s "$STATE/ca.pem" ] && return 0
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$STATE/ca-key.pem")
  openssl req -x509 -new -key "$STATE/ca-key.pem" -days 1095 -subj "/O=swarm/CN=$CLUSTER CA" -out "$STATE/ca.pem"
}
make_client_cert() {
  [ -s "$STATE/cert.pem" ] && return 0
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$STATE/key.pem")
  openssl req -new -key "$STATE/key.pem" -subj "/O=swarm/CN=client" \
    | openssl x509 -req -CA "$STATE/ca.pem" -CAkey "$STATE/ca-key.pem" -CAcreateserial -days 1095 \
        -extfile <(printf 'extendedKeyUsage=clientAuth\n') -out "$STATE/cert.pem" 2>/dev/null
}
make_server_cert() {  # make_server_cert NODE SANS: server and client usage (Consul presents it both ways)
  mkdir -p "$STATE/$1"
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$STATE/$1/server-key.pem")
  openssl req -new -key "$STATE/$1/server-key.pem" -subj "/O=swarm/CN=$1" \
    | openssl x509 -req -CA "$STATE/ca.pem" -CAkey "$STATE/ca-key.pem" -CAcreateserial -days 1095 \
        -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$2") -out "$STATE/$1/server.pem" 2>/dev/null
}
do_api() {  # do_api METHOD PATH [BODY]: DigitalOcean's API v2
  curl -fsS -X "$1" -H "Authorization: Bearer $PROVIDER_TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "https://api.digitalocean.com/v2$2"
}
do_ssh_key() {  # do_ssh_key NAME PUBLIC_KEY_FILE: the key's id, registering it unless its fingerprint is known
  local fingerprint
  fingerprint=$(ssh-keygen -E md5 -lf "$2" | awk '{print $2}' | sed 's/^MD5://')
  do_api GET "/account/keys/$fingerprint" 2>/dev/null | jq -r .ssh_key.id \
    || do_api POST /account/keys "$(jq -n --arg n "$1" --arg k "$(cat "$2")" '{name: $n, public_key: $k}')" | jq -r .ssh_key.id
}
do_droplets() {  # do_droplets NAMES REGION SIZE IMAGE TAGS MONITORING: create the droplets not yet tagged for the cluster
  local existing missing
  existing=$(do_api GET "/droplets?tag_name=swarm:$CLUSTER&per_page=200" | jq -r '.droplets[].name')
  missing=$(tr ',' '\n' <<<"$1" | grep -vxF -f <(printf '%s\n' "$existing") || true)
  [ -z "$missing" ] && return 0
  do_api POST /droplets "$(jq -n --arg names "$missing" --arg r "$2" --arg s "$3" --arg i "$4" --arg t "$5" \
    --argjson m "$6" --arg k "$PROVIDER_SSH_KEY_ID" \
    '{names: ($names | split("\n")), region: $r, size: $s, image: $i, tags: ($t | split(",")),
      monitoring: $m, private_networking: true, ssh_keys: [$k | tonumber]}')" >/dev/null
}
do_droplet() {  # do_droplet NAME: the droplet's JSON
  do_api GET "/droplets?tag_name=swarm:$CLUSTER&per_page=200" | jq -e --arg n "$1" '.droplets[] | select(.name == $n)'
}
do_active() {
  [ "$(do_droplet "$1" | jq -r .status)" = active ]
}
do_address() {  # do_address NAME public|private
  do_droplet "$1" | jq -r --arg t "$2" '.networks.v4[] | select(.type == $t) | .ip_address'
}
# -----------------------------------------------------------------------------------------------
on_web1() { on root "$WEB1_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_web2() { on root "$WEB2_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_web3() { on root "$WEB3_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }
on_web4() { on root "$WEB4_PUBLIC_ADDRESS" 22 ~/.ssh/id_rsa "$@"; }

# provision.web1.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on web1' on_web1 true

# provision.web1.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_web1 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/web/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/motd' \
  '/etc/sysctl.d/90-swarm.conf' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/swarm/compose/monitoring/docker-compose.yml' \
  '/etc/default/grub' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.web2.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on web2' on_web2 true

# provision.web2.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_web2 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/web/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/swarm/compose/monitoring/docker-compose.yml' \
  '/etc/swarm/compose/shop/docker-compose.yml' \
  '/etc/default/grub' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.web3.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on web3' on_web3 true

# provision.web3.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_web3 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/web/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/swarm/compose/monitoring/docker-compose.yml' \
  '/etc/swarm/compose/shop/docker-compose.yml' \
  '/etc/default/grub' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.web4.ssh (wait): wait until SSH answers and the host key is accepted
wait_until 300 'SSH on web4' on_web4 true

# provision.web4.originals (ssh): keep the original of every file this plan changes, for swarm destroy
on_web4 bash -s <<'SWARM_EOF'
o=/var/lib/swarm/web/originals
keep() {
  [ -e "$o$1" ] || [ -L "$o$1" ] || [ -e "$o$1.absent" ] || { { [ -d "$o${1%/*}" ] || mkdir -p "$o${1%/*}"; } &&
    if [ -z "$2" ]; then cp -a "$1" "$o$1"; else : > "$o$1.absent"; fi; }
}
for f in \
  '/etc/hostname' \
  '/etc/hosts' \
  '/etc/docker/ca.pem' \
  '/etc/docker/server.pem' \
  '/etc/docker/server-key.pem' \
  '/etc/docker/daemon.json' \
  '/etc/consul/join.json' \
  '/etc/consul/config.json' \
  '/etc/consul/docker-compose.yml' \
  '/etc/resolv.conf' \
  '/etc/swarm/compose/monitoring/docker-compose.yml' \
  '/etc/swarm/compose/shop/docker-compose.yml' \
  '/etc/default/grub' \
  '/etc/systemd/system/docker.service.d/10-swarm.conf'
do
  if [ -e "$f" ] || [ -L "$f" ]; then
    keep "$f" || exit 1
  else
    d=${f%/*} top=
    while [ -n "$d" ] && [ ! -e "$d" ]; do top=$d; d=${d%/*}; done
    { [ -z "$top" ] || keep "$top" absent; } && keep "$f" absent || exit 1
  fi
done
SWARM_EOF

# provision.web1.after-1 (ssh): hook after 'provision' (line 7): run a command
on_web1 bash -s <<'SWARM_EOF'
apt-get update -qq && apt-get install -y -qq curl jq
SWARM_EOF

# provision.web2.after-1 (ssh): hook after 'provision' (line 7): run a command
on_web2 bash -s <<'SWARM_EOF'
apt-get update -qq && apt-get install -y -qq curl jq
SWARM_EOF

# provision.web3.after-1 (ssh): hook after 'provision' (line 7): run a command
on_web3 bash -s <<'SWARM_EOF'
apt-get update -qq && apt-get install -y -qq curl jq
SWARM_EOF

# provision.web4.after-1 (ssh): hook after 'provision' (line 7): run a command
on_web4 bash -s <<'SWARM_EOF'
apt-get update -qq && apt-get install -y -qq curl jq
SWARM_EOF

# prepare.web1.hostname (ssh): set the hostname to web1
on_web1 bash -s <<'SWARM_EOF'
hostname web1 && echo web1 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 web1.node.shop.example.com web1/' /etc/hosts || echo '127.0.1.1 web1.node.shop.example.com web1' >> /etc/hosts; }
SWARM_EOF

# prepare.web1.docker (ssh): install Docker and Compose if absent
on_web1 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.web1.memory-accounting (ssh): turn on the kernel's memory and swap accounting (GRUB's command line), unless it has them
on_web1 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
if [ ! -f /etc/default/grub ]; then
  echo 'the kernel does not account memory and swap, and the node boots without GRUB (no /etc/default/grub): add cgroup_enable=memory swapaccount=1 to its kernel command line, reboot it and apply again, or leave memory accounting out of the script' >&2
  exit 1
fi
grep -q 'cgroup_enable=memory swapaccount=1' /etc/default/grub || {
  sed -i 's/^GRUB_CMDLINE_LINUX="\(.*\)"/GRUB_CMDLINE_LINUX="\1 cgroup_enable=memory swapaccount=1"/' /etc/default/grub
}
update-grub
SWARM_EOF

# prepare.web1.reboot (ssh): reboot for the new kernel command line, unless the kernel accounts memory
on_web1 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
mkdir -p /var/lib/swarm/web && echo "$(cat /proc/sys/kernel/random/boot_id) $(awk '{print $22}' /proc/1/stat)" > /var/lib/swarm/web/reboot-pending
(sleep 1 && reboot) >/dev/null 2>&1 &
SWARM_EOF

# prepare.web1.rebooted (wait): wait until the node runs a new boot, its kernel accounting memory and swap
wait_until 300 'web1 back from its reboot' on_web1 'if [ -e /var/lib/swarm/web/reboot-pending ] && [ "$(cat /var/lib/swarm/web/reboot-pending)" = "$(cat /proc/sys/kernel/random/boot_id) $(awk '\''{print $22}'\'' /proc/1/stat)" ]; then exit 1; fi
rm -f /var/lib/swarm/web/reboot-pending
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
echo "back from its reboot, but the kernel still does not account memory and swap (its command line: $(cat /proc/cmdline))"
exit 3'

# prepare.web2.hostname (ssh): set the hostname to web2
on_web2 bash -s <<'SWARM_EOF'
hostname web2 && echo web2 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 web2.node.shop.example.com web2/' /etc/hosts || echo '127.0.1.1 web2.node.shop.example.com web2' >> /etc/hosts; }
SWARM_EOF

# prepare.web2.docker (ssh): install Docker and Compose if absent
on_web2 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.web2.memory-accounting (ssh): turn on the kernel's memory and swap accounting (GRUB's command line), unless it has them
on_web2 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
if [ ! -f /etc/default/grub ]; then
  echo 'the kernel does not account memory and swap, and the node boots without GRUB (no /etc/default/grub): add cgroup_enable=memory swapaccount=1 to its kernel command line, reboot it and apply again, or leave memory accounting out of the script' >&2
  exit 1
fi
grep -q 'cgroup_enable=memory swapaccount=1' /etc/default/grub || {
  sed -i 's/^GRUB_CMDLINE_LINUX="\(.*\)"/GRUB_CMDLINE_LINUX="\1 cgroup_enable=memory swapaccount=1"/' /etc/default/grub
}
update-grub
SWARM_EOF

# prepare.web2.reboot (ssh): reboot for the new kernel command line, unless the kernel accounts memory
on_web2 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
mkdir -p /var/lib/swarm/web && echo "$(cat /proc/sys/kernel/random/boot_id) $(awk '{print $22}' /proc/1/stat)" > /var/lib/swarm/web/reboot-pending
(sleep 1 && reboot) >/dev/null 2>&1 &
SWARM_EOF

# prepare.web2.rebooted (wait): wait until the node runs a new boot, its kernel accounting memory and swap
wait_until 300 'web2 back from its reboot' on_web2 'if [ -e /var/lib/swarm/web/reboot-pending ] && [ "$(cat /var/lib/swarm/web/reboot-pending)" = "$(cat /proc/sys/kernel/random/boot_id) $(awk '\''{print $22}'\'' /proc/1/stat)" ]; then exit 1; fi
rm -f /var/lib/swarm/web/reboot-pending
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
echo "back from its reboot, but the kernel still does not account memory and swap (its command line: $(cat /proc/cmdline))"
exit 3'

# prepare.web3.hostname (ssh): set the hostname to web3
on_web3 bash -s <<'SWARM_EOF'
hostname web3 && echo web3 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 web3.node.shop.example.com web3/' /etc/hosts || echo '127.0.1.1 web3.node.shop.example.com web3' >> /etc/hosts; }
SWARM_EOF

# prepare.web3.docker (ssh): install Docker and Compose if absent
on_web3 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.web3.memory-accounting (ssh): turn on the kernel's memory and swap accounting (GRUB's command line), unless it has them
on_web3 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
if [ ! -f /etc/default/grub ]; then
  echo 'the kernel does not account memory and swap, and the node boots without GRUB (no /etc/default/grub): add cgroup_enable=memory swapaccount=1 to its kernel command line, reboot it and apply again, or leave memory accounting out of the script' >&2
  exit 1
fi
grep -q 'cgroup_enable=memory swapaccount=1' /etc/default/grub || {
  sed -i 's/^GRUB_CMDLINE_LINUX="\(.*\)"/GRUB_CMDLINE_LINUX="\1 cgroup_enable=memory swapaccount=1"/' /etc/default/grub
}
update-grub
SWARM_EOF

# prepare.web3.reboot (ssh): reboot for the new kernel command line, unless the kernel accounts memory
on_web3 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
mkdir -p /var/lib/swarm/web && echo "$(cat /proc/sys/kernel/random/boot_id) $(awk '{print $22}' /proc/1/stat)" > /var/lib/swarm/web/reboot-pending
(sleep 1 && reboot) >/dev/null 2>&1 &
SWARM_EOF

# prepare.web3.rebooted (wait): wait until the node runs a new boot, its kernel accounting memory and swap
wait_until 300 'web3 back from its reboot' on_web3 'if [ -e /var/lib/swarm/web/reboot-pending ] && [ "$(cat /var/lib/swarm/web/reboot-pending)" = "$(cat /proc/sys/kernel/random/boot_id) $(awk '\''{print $22}'\'' /proc/1/stat)" ]; then exit 1; fi
rm -f /var/lib/swarm/web/reboot-pending
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
echo "back from its reboot, but the kernel still does not account memory and swap (its command line: $(cat /proc/cmdline))"
exit 3'

# prepare.web4.hostname (ssh): set the hostname to web4
on_web4 bash -s <<'SWARM_EOF'
hostname web4 && echo web4 > /etc/hostname && { grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts && sed -i 's/^127\.0\.1\.1[[:space:]].*/127.0.1.1 web4.node.shop.example.com web4/' /etc/hosts || echo '127.0.1.1 web4.node.shop.example.com web4' >> /etc/hosts; }
SWARM_EOF

# prepare.web4.docker (ssh): install Docker and Compose if absent
on_web4 bash -s <<'SWARM_EOF'
if ! command -v dockerd >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io
  else
    curl -fsSL https://get.docker.com | sh
  fi
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose
fi
SWARM_EOF

# prepare.web4.memory-accounting (ssh): turn on the kernel's memory and swap accounting (GRUB's command line), unless it has them
on_web4 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
if [ ! -f /etc/default/grub ]; then
  echo 'the kernel does not account memory and swap, and the node boots without GRUB (no /etc/default/grub): add cgroup_enable=memory swapaccount=1 to its kernel command line, reboot it and apply again, or leave memory accounting out of the script' >&2
  exit 1
fi
grep -q 'cgroup_enable=memory swapaccount=1' /etc/default/grub || {
  sed -i 's/^GRUB_CMDLINE_LINUX="\(.*\)"/GRUB_CMDLINE_LINUX="\1 cgroup_enable=memory swapaccount=1"/' /etc/default/grub
}
update-grub
SWARM_EOF

# prepare.web4.reboot (ssh): reboot for the new kernel command line, unless the kernel accounts memory
on_web4 bash -s <<'SWARM_EOF'
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
mkdir -p /var/lib/swarm/web && echo "$(cat /proc/sys/kernel/random/boot_id) $(awk '{print $22}' /proc/1/stat)" > /var/lib/swarm/web/reboot-pending
(sleep 1 && reboot) >/dev/null 2>&1 &
SWARM_EOF

# prepare.web4.rebooted (wait): wait until the node runs a new boot, its kernel accounting memory and swap
wait_until 300 'web4 back from its reboot' on_web4 'if [ -e /var/lib/swarm/web/reboot-pending ] && [ "$(cat /var/lib/swarm/web/reboot-pending)" = "$(cat /proc/sys/kernel/random/boot_id) $(awk '\''{print $22}'\'' /proc/1/stat)" ]; then exit 1; fi
rm -f /var/lib/swarm/web/reboot-pending
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then exit 0; fi
echo "back from its reboot, but the kernel still does not account memory and swap (its command line: $(cat /proc/cmdline))"
exit 3'

# pki.ca (upload): create the cluster's certificate authority (or reuse the one in .swarm/web/)
make_ca

# pki.client (upload): issue the client certificate for docker, swarm and the executor
make_client_cert

# pki.web1.certs (upload): install the node's TLS files (server and client usage)
put web1 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert web1 "DNS:web1,DNS:web1.node.shop.example.com,DNS:localhost,DNS:server.dc1.shop.example.com,IP:$WEB1_PRIVATE_ADDRESS,IP:$WEB1_PUBLIC_ADDRESS,IP:127.0.0.1"
put web1 /etc/docker/server.pem 0644 < "$STATE/web1/server.pem"
put web1 /etc/docker/server-key.pem 0600 < "$STATE/web1/server-key.pem"

# pki.web2.certs (upload): install the node's TLS files (server and client usage)
put web2 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert web2 "DNS:web2,DNS:web2.node.shop.example.com,DNS:localhost,IP:$WEB2_PRIVATE_ADDRESS,IP:$WEB2_PUBLIC_ADDRESS,IP:127.0.0.1"
put web2 /etc/docker/server.pem 0644 < "$STATE/web2/server.pem"
put web2 /etc/docker/server-key.pem 0600 < "$STATE/web2/server-key.pem"

# pki.web3.certs (upload): install the node's TLS files (server and client usage)
put web3 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert web3 "DNS:web3,DNS:web3.node.shop.example.com,DNS:localhost,IP:$WEB3_PRIVATE_ADDRESS,IP:$WEB3_PUBLIC_ADDRESS,IP:127.0.0.1"
put web3 /etc/docker/server.pem 0644 < "$STATE/web3/server.pem"
put web3 /etc/docker/server-key.pem 0600 < "$STATE/web3/server-key.pem"

# pki.web4.certs (upload): install the node's TLS files (server and client usage)
put web4 /etc/docker/ca.pem 0644 < "$STATE/ca.pem"
make_server_cert web4 "DNS:web4,DNS:web4.node.shop.example.com,DNS:localhost,IP:$WEB4_PRIVATE_ADDRESS,IP:$WEB4_PUBLIC_ADDRESS,IP:127.0.0.1"
put web4 /etc/docker/server.pem 0644 < "$STATE/web4/server.pem"
put web4 /etc/docker/server-key.pem 0600 < "$STATE/web4/server-key.pem"

# engine.web1.before-1 (upload): hook before 'engine' (line 10): upload /etc/motd
put web1 /etc/motd 0644 < files/motd

# engine.web1.before-2 (upload): hook before 'engine' (line 10): upload /etc/sysctl.d/90-swarm.conf
put web1 /etc/sysctl.d/90-swarm.conf 0644 <<'SWARM_EOF'
vm.max_map_count=262144
SWARM_EOF

# engine.web1.before-3 (ssh): hook before 'engine' (line 10): run a command
on_web1 bash -s <<'SWARM_EOF'
sysctl --system >/dev/null
SWARM_EOF

# engine.web1.daemon (upload): write the Docker daemon's options
put web1 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=generic",
    "role=master"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "dns": [
    "${WEB1_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "shop.example.com"
  ]
}
SWARM_EOF

# engine.web1.restart (ssh): restart the Docker daemon through the node's service manager; if its Consul server ran, wait until it is back with a leader
on_web1 bash -s <<'SWARM_EOF'
consul_ran=$(docker ps -q --filter name=^consul$ 2>/dev/null)
{
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
} || exit 1
[ -n "$consul_ran" ] || exit 0
end=$(($(date +%s) + 120))
until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after the engine restart" >&2; exit 1; }
  sleep 0.2
done
SWARM_EOF

# engine.web1.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of web1' docker_api "$WEB1_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.web2.daemon (upload): write the Docker daemon's options
put web2 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=generic",
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "dns": [
    "${WEB2_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "shop.example.com"
  ]
}
SWARM_EOF

# engine.web2.restart (ssh): restart the Docker daemon through the node's service manager
on_web2 bash -s <<'SWARM_EOF'
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.web2.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of web2' docker_api "$WEB2_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.web3.daemon (upload): write the Docker daemon's options
put web3 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=generic",
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "dns": [
    "${WEB3_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "shop.example.com"
  ]
}
SWARM_EOF

# engine.web3.restart (ssh): restart the Docker daemon through the node's service manager
on_web3 bash -s <<'SWARM_EOF'
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.web3.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of web3' docker_api "$WEB3_PUBLIC_ADDRESS" 2376 GET /_ping

# engine.web4.daemon (upload): write the Docker daemon's options
put web4 /etc/docker/daemon.json 0644 <<SWARM_EOF
{
  "hosts": [
    "tcp://0.0.0.0:2376",
    "unix:///var/run/docker.sock"
  ],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/ca.pem",
  "tlscert": "/etc/docker/server.pem",
  "tlskey": "/etc/docker/server-key.pem",
  "labels": [
    "provider=generic",
    "role=agent"
  ],
  "log-driver": "json-file",
  "log-opts": {
    "max-file": "10",
    "max-size": "10m"
  },
  "dns": [
    "${WEB4_PRIVATE_ADDRESS}",
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns-search": [
    "shop.example.com"
  ]
}
SWARM_EOF

# engine.web4.restart (ssh): restart the Docker daemon through the node's service manager
on_web4 bash -s <<'SWARM_EOF'
if [ -d /run/systemd/system ]; then
  mkdir -p /etc/systemd/system/docker.service.d
  printf '[Service]\nExecStart=\nExecStart=%s\n' "$(command -v dockerd)" > /etc/systemd/system/docker.service.d/10-swarm.conf
  # on failure, what dockerd said (systemctl only says that it failed)
  systemctl daemon-reload && systemctl restart docker || { journalctl -u docker -n 20 --no-pager -o cat >&2; exit 1; }
else
  service docker restart
fi
SWARM_EOF

# engine.web4.ready (wait): wait until the engine answers on port 2376 with TLS
wait_until 120 'the engine of web4' docker_api "$WEB4_PUBLIC_ADDRESS" 2376 GET /_ping

# consul.web1.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put web1 /etc/consul/join.json 0644 <<'SWARM_EOF'
{
  "bootstrap_expect": 1,
  "retry_join": [ ]
}
SWARM_EOF

# consul.web1.config (upload): write the Consul configuration
put web1 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "shop.example.com.",
  "node_name": "web1",
  "advertise_addr": "${WEB1_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": true,
  "ui": true,
  "performance": {
    "raft_multiplier": 1
  },
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": false,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "initial_management": "${CONSUL_ACL_MANAGEMENT}",
      "agent": "${CONSUL_ACL_AGENT_WEB1}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.web1.up (compose): bring up the Consul server
put web1 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up web1 consul /etc/consul/docker-compose.yml

# consul.web1.restart (ssh): restart Consul if its configuration is newer than its container, then wait until it is back with a leader; reload it if only its certificates are, until it serves the new one
on_web1 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
loaded=$(newest /var/lib/swarm/web/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  end=$(($(date +%s) + 120))
  until curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; do
    [ "$(date +%s)" -lt "$end" ] || { echo "its Consul server was not back with a leader 120 s after its restart" >&2; exit 1; }
    sleep 0.2
  done
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/web && touch /var/lib/swarm/web/consul-certificates-loaded
SWARM_EOF

# consul.web1.back (wait): wait until the node's Consul server answers, knows a leader and votes in raft
wait_until 120 'its Consul server back with a leader, voting in raft' on_web1 'curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q : && raft=$(curl -sS -m 2 -w '\'' %{http_code}'\'' http://127.0.0.1:8500/v1/operator/raft/configuration) && case $raft in *'\'' 403'\'') ;; *'\'' 200'\'') printf '\''%s'\'' "$raft" | tr '\''{'\'' '\''\n'\'' | grep '\''"Node":"web1"'\'' | grep -q '\''"Voter":true'\'' ;; *) false ;; esac'

# consul.web1.leader (wait): wait until the 1 Consul servers have elected a leader (any server may say so)
wait_until 300 'a Consul leader' on_web1 "curl -fsS -m 2 --cacert /etc/docker/ca.pem --cert /etc/docker/server.pem --key /etc/docker/server-key.pem https://$WEB1_PRIVATE_ADDRESS:8501/v1/status/leader | grep -q :"

# consul.web1.acl (consul): set up Consul's ACLs: the default token's policy, the default token, an agent token for each node
consul_acl_policy "$WEB1_PUBLIC_ADDRESS" 8501 swarm-default "$(cat <<'SWARM_EOF'
{
  "Name": "swarm-default",
  "Description": "what a request without a token may do: read the catalog (DNS) and the agents",
  "Rules": "node_prefix \"\" { policy = \"read\" }\nservice_prefix \"\" { policy = \"read\" }\nagent_prefix \"\" { policy = \"read\" }\noperator = \"read\"\n"
}
SWARM_EOF
)"
consul_acl_token "$WEB1_PUBLIC_ADDRESS" 8501 f2e8d4f0-d375-3c66-a43e-41f1da8e19e1 "$(cat <<SWARM_EOF
{
  "AccessorID": "f2e8d4f0-d375-3c66-a43e-41f1da8e19e1",
  "SecretID": "${CONSUL_ACL_DEFAULT}",
  "Description": "swarm web: requests without a token (DNS, classic Swarm)",
  "Policies": [
    {
      "Name": "swarm-default"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$WEB1_PUBLIC_ADDRESS" 8501 82813faa-97fa-3f8a-b5b7-08327901e826 "$(cat <<SWARM_EOF
{
  "AccessorID": "82813faa-97fa-3f8a-b5b7-08327901e826",
  "SecretID": "${CONSUL_ACL_AGENT_WEB1}",
  "Description": "swarm web: the Consul agent of web1",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "web1",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$WEB1_PUBLIC_ADDRESS" 8501 8cae4286-8488-3465-afef-63178c6bbb0f "$(cat <<SWARM_EOF
{
  "AccessorID": "8cae4286-8488-3465-afef-63178c6bbb0f",
  "SecretID": "${CONSUL_ACL_AGENT_WEB2}",
  "Description": "swarm web: the Consul agent of web2",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "web2",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$WEB1_PUBLIC_ADDRESS" 8501 0eec12da-b739-30a7-8e2d-f3c09b441654 "$(cat <<SWARM_EOF
{
  "AccessorID": "0eec12da-b739-30a7-8e2d-f3c09b441654",
  "SecretID": "${CONSUL_ACL_AGENT_WEB3}",
  "Description": "swarm web: the Consul agent of web3",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "web3",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"
consul_acl_token "$WEB1_PUBLIC_ADDRESS" 8501 1e67f172-d40d-3066-9728-1597db94c4f6 "$(cat <<SWARM_EOF
{
  "AccessorID": "1e67f172-d40d-3066-9728-1597db94c4f6",
  "SecretID": "${CONSUL_ACL_AGENT_WEB4}",
  "Description": "swarm web: the Consul agent of web4",
  "Policies": [ ],
  "NodeIdentities": [
    {
      "NodeName": "web4",
      "Datacenter": "dc1"
    }
  ]
}
SWARM_EOF
)"

# consul.web2.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put web2 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${WEB1_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.web2.config (upload): write the Consul configuration
put web2 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "shop.example.com.",
  "node_name": "web2",
  "advertise_addr": "${WEB2_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": false,
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": true,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_WEB2}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.web2.up (compose): bring up the Consul agent
put web2 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up web2 consul /etc/consul/docker-compose.yml

# consul.web2.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_web2 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/web/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/web && touch /var/lib/swarm/web/consul-certificates-loaded
SWARM_EOF

# consul.web2.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_web2 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.web3.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put web3 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${WEB1_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.web3.config (upload): write the Consul configuration
put web3 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "shop.example.com.",
  "node_name": "web3",
  "advertise_addr": "${WEB3_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": false,
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": true,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_WEB3}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.web3.up (compose): bring up the Consul agent
put web3 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up web3 consul /etc/consul/docker-compose.yml

# consul.web3.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_web3 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/web/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/web && touch /var/lib/swarm/web/consul-certificates-loaded
SWARM_EOF

# consul.web3.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_web3 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# consul.web4.join (upload): write whom Consul joins when it starts (a change restarts nothing)
put web4 /etc/consul/join.json 0644 <<SWARM_EOF
{
  "retry_join": [
    "${WEB1_PRIVATE_ADDRESS}"
  ]
}
SWARM_EOF

# consul.web4.config (upload): write the Consul configuration
put web4 /etc/consul/config.json 0600 <<SWARM_EOF
{
  "datacenter": "dc1",
  "domain": "shop.example.com.",
  "node_name": "web4",
  "advertise_addr": "${WEB4_PRIVATE_ADDRESS}",
  "client_addr": "0.0.0.0",
  "server": false,
  "retry_interval": "1s",
  "addresses": {
    "http": "127.0.0.1"
  },
  "ports": {
    "dns": 53,
    "https": 8501
  },
  "recursors": [
    "8.8.8.8",
    "8.8.4.4"
  ],
  "dns_config": {
    "allow_stale": true
  },
  "leave_on_terminate": true,
  "rejoin_after_leave": true,
  "tls": {
    "defaults": {
      "ca_file": "/etc/docker/ca.pem",
      "cert_file": "/etc/docker/server.pem",
      "key_file": "/etc/docker/server-key.pem",
      "verify_outgoing": true
    },
    "internal_rpc": {
      "verify_incoming": true,
      "verify_server_hostname": true
    },
    "https": {
      "verify_incoming": true
    }
  },
  "primary_datacenter": "dc1",
  "acl": {
    "enabled": true,
    "default_policy": "deny",
    "down_policy": "extend-cache",
    "tokens": {
      "agent": "${CONSUL_ACL_AGENT_WEB4}",
      "default": "${CONSUL_ACL_DEFAULT}"
    }
  }
}
SWARM_EOF

# consul.web4.up (compose): bring up the Consul agent
put web4 /etc/consul/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  consul:
    image: hashicorp/consul:1.22.6
    container_name: consul
    network_mode: host
    restart: always
    command:
      - agent
    environment:
      GOMAXPROCS: '2'
      CONSUL_DISABLE_PERM_MGMT: 'true'
    volumes:
      - consul-data:/consul/data
      - /etc/consul/config.json:/consul/config/swarm.json:ro
      - /etc/consul/join.json:/consul/config/join.json:ro
      - /etc/docker:/etc/docker:ro
volumes:
  consul-data: {}
SWARM_EOF
compose_up web4 consul /etc/consul/docker-compose.yml

# consul.web4.restart (ssh): restart Consul if its configuration is newer than its container; reload it if only its certificates are, until it serves the new one
on_web4 bash -s <<'SWARM_EOF'
started=$(docker inspect -f '{{.State.StartedAt}}' consul 2>/dev/null) || exit 0
started=$(date -d "$started" +%s%N)
newest() { stat -c %.9Y "$@" 2>/dev/null | tr -d . | sort -n | tail -1; }
if [ "$(newest /etc/consul/config.json)" -gt "$started" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
loaded=$(newest /var/lib/swarm/web/consul-certificates-loaded)
[ -z "$loaded" ] || [ "$loaded" -lt "$started" ] || started=$loaded
[ "$(newest /etc/docker/ca.pem /etc/docker/server.pem /etc/docker/server-key.pem)" -gt "$started" ] || exit 0
served() { curl -sk -m 2 --cert /etc/docker/server.pem --key /etc/docker/server-key.pem -o /dev/null -w '%{certs}' https://127.0.0.1:8501/v1/status/leader 2>/dev/null | sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' | tr -d ' \r\n'; }
if [ -z "$(served)" ]; then
  docker restart consul >/dev/null || exit 1
  exit 0
fi
wanted=$(sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{s/^.*-----BEGIN/-----BEGIN/;p;/-END CERTIFICATE-/q}' /etc/docker/server.pem | tr -d ' \r\n')
docker kill -s HUP consul >/dev/null || exit 1
end=$(($(date +%s) + 120))
until [ "$(served)" = "$wanted" ]; do
  [ "$(date +%s)" -lt "$end" ] || { echo "its Consul agent still served its old certificate 120 s after a reload" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /var/lib/swarm/web && touch /var/lib/swarm/web/consul-certificates-loaded
SWARM_EOF

# consul.web4.back (wait): wait until the node's Consul agent answers and knows a leader
wait_until 120 'its Consul agent back with a leader' on_web4 "curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader | grep -q :"

# dns.web1.resolver (upload): point the node's resolver at its Consul agent
put web1 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${WEB1_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search shop.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.web2.resolver (upload): point the node's resolver at its Consul agent
put web2 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${WEB2_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search shop.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.web3.resolver (upload): point the node's resolver at its Consul agent
put web3 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${WEB3_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search shop.example.com
options timeout:2 attempts:2
SWARM_EOF

# dns.web4.resolver (upload): point the node's resolver at its Consul agent
put web4 /etc/resolv.conf 0644 <<SWARM_EOF
# written by swarm: the node's Consul agent answers, and recurses for other names;
# until Consul runs (boot, engine restart), its recursors answer the names outside Consul
nameserver ${WEB4_PRIVATE_ADDRESS}
nameserver 8.8.8.8
nameserver 8.8.4.4
search shop.example.com
options timeout:2 attempts:2
SWARM_EOF

# swarm.web1.init (docker): initialise Swarm mode; this node is the first manager
docker_api "$WEB1_PUBLIC_ADDRESS" 2376 POST /swarm/init "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${WEB1_PRIVATE_ADDRESS}:2377"
}
SWARM_EOF
)"
SWARM_MANAGER_TOKEN=$(docker_api "$WEB1_PUBLIC_ADDRESS" 2376 GET /swarm | jq -r .JoinTokens.Manager)
SWARM_WORKER_TOKEN=$(docker_api "$WEB1_PUBLIC_ADDRESS" 2376 GET /swarm | jq -r .JoinTokens.Worker)

# swarm.web2.join (docker): join the Swarm as a worker
docker_api "$WEB2_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${WEB2_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${WEB1_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_WORKER_TOKEN}"
}
SWARM_EOF
)"

# swarm.web3.join (docker): join the Swarm as a worker
docker_api "$WEB3_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${WEB3_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${WEB1_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_WORKER_TOKEN}"
}
SWARM_EOF
)"

# swarm.web4.join (docker): join the Swarm as a worker
docker_api "$WEB4_PUBLIC_ADDRESS" 2376 POST /swarm/join "$(cat <<SWARM_EOF
{
  "ListenAddr": "0.0.0.0:2377",
  "AdvertiseAddr": "${WEB4_PRIVATE_ADDRESS}:2377",
  "RemoteAddrs": [
    "${WEB1_PRIVATE_ADDRESS}:2377"
  ],
  "JoinToken": "${SWARM_WORKER_TOKEN}"
}
SWARM_EOF
)"

# swarm.web1.network (docker): create the attachable overlay network web
docker_api "$WEB1_PUBLIC_ADDRESS" 2376 POST /networks/create "$(cat <<'SWARM_EOF'
{
  "Name": "web",
  "Driver": "overlay",
  "Attachable": true,
  "CheckDuplicate": true
}
SWARM_EOF
)"

# swarm.web3.after-1 (ssh): hook after 'swarm' (line 15): run a command
on_web3 bash -s <<'SWARM_EOF'
docker ps --format "{{.Names}}"
SWARM_EOF

# swarm.web4.after-1 (ssh): hook after 'swarm' (line 15): run a command
on_web4 bash -s <<'SWARM_EOF'
docker ps --format "{{.Names}}"
SWARM_EOF

# compose.web1.monitoring (compose): bring up the composition monitoring
put web1 /etc/swarm/compose/monitoring/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  node-exporter:
    image: prom/node-exporter:v1.8.2
    network_mode: host
    restart: always
SWARM_EOF
compose_up web1 monitoring /etc/swarm/compose/monitoring/docker-compose.yml

# compose.web2.monitoring (compose): bring up the composition monitoring
put web2 /etc/swarm/compose/monitoring/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  node-exporter:
    image: prom/node-exporter:v1.8.2
    network_mode: host
    restart: always
SWARM_EOF
compose_up web2 monitoring /etc/swarm/compose/monitoring/docker-compose.yml

# compose.web3.monitoring (compose): bring up the composition monitoring
put web3 /etc/swarm/compose/monitoring/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  node-exporter:
    image: prom/node-exporter:v1.8.2
    network_mode: host
    restart: always
SWARM_EOF
compose_up web3 monitoring /etc/swarm/compose/monitoring/docker-compose.yml

# compose.web4.monitoring (compose): bring up the composition monitoring
put web4 /etc/swarm/compose/monitoring/docker-compose.yml 0644 <<'SWARM_EOF'
version: '2.4'
services:
  node-exporter:
    image: prom/node-exporter:v1.8.2
    network_mode: host
    restart: always
SWARM_EOF
compose_up web4 monitoring /etc/swarm/compose/monitoring/docker-compose.yml

# compose.web2.shop (compose): bring up the composition shop
put web2 /etc/swarm/compose/shop/docker-compose.yml 0644 <<'SWARM_EOF'

version: '2.4'
services:
  web:
    image: nginx:1.27
    ports: ['80:80']
    restart: always
SWARM_EOF
compose_up web2 shop /etc/swarm/compose/shop/docker-compose.yml

# compose.web3.shop (compose): bring up the composition shop
put web3 /etc/swarm/compose/shop/docker-compose.yml 0644 <<'SWARM_EOF'

version: '2.4'
services:
  web:
    image: nginx:1.27
    ports: ['80:80']
    restart: always
SWARM_EOF
compose_up web3 shop /etc/swarm/compose/shop/docker-compose.yml

# compose.web4.shop (compose): bring up the composition shop
put web4 /etc/swarm/compose/shop/docker-compose.yml 0644 <<'SWARM_EOF'

version: '2.4'
services:
  web:
    image: nginx:1.27
    ports: ['80:80']
    restart: always
SWARM_EOF
compose_up web4 shop /etc/swarm/compose/shop/docker-compose.yml

# verify.web1.consul (ssh): expect 4 Consul members alive, a leader, 1 voting servers, and A and SRV records of consul.service.shop.example.com from the node's resolver
on_web1 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 4 ]; then problem="$alive of 4 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 1 ]; then problem="$voters of 1 Consul servers voting in raft"
  elif ! getent hosts consul.service.shop.example.com >/dev/null; then problem='the resolver does not answer consul.service.shop.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.shop.example.com 2>/dev/null | grep -c 'service = ')" -ne 1 ]; then problem='the resolver does not answer the 1 SRV records of consul.service.shop.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.web2.consul (ssh): expect 4 Consul members alive, a leader, 1 voting servers, and A and SRV records of consul.service.shop.example.com from the node's resolver
on_web2 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 4 ]; then problem="$alive of 4 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 1 ]; then problem="$voters of 1 Consul servers voting in raft"
  elif ! getent hosts consul.service.shop.example.com >/dev/null; then problem='the resolver does not answer consul.service.shop.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.shop.example.com 2>/dev/null | grep -c 'service = ')" -ne 1 ]; then problem='the resolver does not answer the 1 SRV records of consul.service.shop.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.web3.consul (ssh): expect 4 Consul members alive, a leader, 1 voting servers, and A and SRV records of consul.service.shop.example.com from the node's resolver
on_web3 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 4 ]; then problem="$alive of 4 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 1 ]; then problem="$voters of 1 Consul servers voting in raft"
  elif ! getent hosts consul.service.shop.example.com >/dev/null; then problem='the resolver does not answer consul.service.shop.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.shop.example.com 2>/dev/null | grep -c 'service = ')" -ne 1 ]; then problem='the resolver does not answer the 1 SRV records of consul.service.shop.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.web4.consul (ssh): expect 4 Consul members alive, a leader, 1 voting servers, and A and SRV records of consul.service.shop.example.com from the node's resolver
on_web4 bash -s <<'SWARM_EOF'
end=$(($(date +%s) + 60))
while :; do
  alive=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/members 2>/dev/null | grep -o '"Status":1[,}]' | wc -l)
  voters=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/operator/raft/configuration 2>/dev/null | grep -o '"Voter":true' | wc -l)
  self=$(curl -fsS -m 5 http://127.0.0.1:8500/v1/agent/self 2>/dev/null)
  if [ -z "$self" ]; then problem='the Consul agent of this node does not answer on 127.0.0.1:8500'
  elif [ "$alive" -ne 4 ]; then problem="$alive of 4 Consul members alive"
  elif ! curl -fsS -m 5 http://127.0.0.1:8500/v1/status/leader 2>/dev/null | grep -q :; then problem='no Consul leader'
  elif [ "$voters" -ne 1 ]; then problem="$voters of 1 Consul servers voting in raft"
  elif ! getent hosts consul.service.shop.example.com >/dev/null; then problem='the resolver does not answer consul.service.shop.example.com'
  elif [ "$(docker exec consul nslookup -type=SRV consul.service.shop.example.com 2>/dev/null | grep -c 'service = ')" -ne 1 ]; then problem='the resolver does not answer the 1 SRV records of consul.service.shop.example.com'
  else exit 0; fi
  [ "$(date +%s)" -lt "$end" ] || { echo "$problem" >&2; exit 1; }
  sleep 1
done
SWARM_EOF

# verify.web1.swarm (docker): expect 4 nodes Ready, 1 managers with one leader
docker_api "$WEB1_PUBLIC_ADDRESS" 2376 GET /nodes

echo 'Done: 98 steps on 4 nodes: 39 ssh, 24 upload, 11 compose, 6 docker, 1 consul, 17 wait.'
