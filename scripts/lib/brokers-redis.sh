# Sourced by scripts/brokers.sh: Redis on 127.0.0.1:$redis_port with its data in $data/redis.
# One ACL user (eventuali) with a password made per data directory; the default user is off. Append-only file on:
# a write is in the file before Redis answers it, so a killed server loses nothing it confirmed (fsync every second:
# a power loss can lose the last second; set appendfsync always where that matters).
install_missing redis-server redis-server
redis_password=$(password_of redis)
if ! answers "$redis_port"; then
  mkdir -p "$data/redis"
  # The password goes in the config file (mode 600), never on the command line where ps shows it.
  (umask 077; cat >"$data/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
daemonize no
dir $data/redis
pidfile $data/redis.pid
logfile $data/redis.log
appendonly yes
appendfsync everysec
save ""
user default off
user eventuali on >$redis_password ~* &* +@all
CONF
  )
  setsid redis-server "$data/redis.conf" </dev/null >/dev/null 2>&1 &
  wait_for redis "$redis_port"
  # The pid file is written just after the port opens: wait for it, the tests kill the server from it.
  for _ in $(seq 1 50); do [[ -s "$data/redis.pid" ]] && break; sleep 0.1; done
fi
