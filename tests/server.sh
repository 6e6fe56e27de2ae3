# Sourced by tests/kotlin/run.sh and tests/swift/run.sh: starts
# binhan-server on loopback with SQLite in a temporary folder.
#
#   start_server BIN   sets server_url, server_pid, server_dir
#   stop_server        stops it and removes its folder (call it on exit)

server_pid=""
server_dir=""
server_url=""

start_server() { # BIN
    server_dir="$(mktemp -d)"
    env -u BINHAN_DATABASE_URL -u BINHAN_DATA -u BINHAN_LISTEN RUST_LOG=info \
        "$1" serve --data "$server_dir/data" --listen 127.0.0.1:0 \
        >"$server_dir/stdout" 2>"$server_dir/server.log" &
    server_pid=$!
    for _ in $(seq 1 300); do
        server_url="$(sed -n 's/^listening on //p' "$server_dir/stdout")"
        [ -n "$server_url" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$server_url" ]; then
        echo "binhan-server did not start:" >&2
        cat "$server_dir/server.log" >&2
        return 1
    fi
    echo "   $server_url (pid $server_pid)"
}

stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    [ -z "$server_dir" ] || rm -rf "$server_dir"
}
