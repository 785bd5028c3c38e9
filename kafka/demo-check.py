#!/usr/bin/env python3
"""Checks `./geoward demo --nodes N` end to end, as a user runs it: starts it in a session of its own (a data
directory under /tmp, ports from 18080 and 19192 on, skipped when taken), waits for the URLs, asks every node's
/ready, then sends SIGINT to the whole process group as a terminal's Ctrl-C does, and checks that everything stopped
(nodes, broker, private PostGIS) within 60 s.

    kafka/demo-check.py [NODES]     default 2; the output of the demo goes to DATA_DIR/demo.out
"""
import os, re, signal, subprocess, sys, tempfile, time, urllib.request

nodes = sys.argv[1] if len(sys.argv) > 1 else '2'
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = tempfile.mkdtemp(prefix='geoward-demo-check-')
os.chmod(data, 0o755)  # as root the private PostGIS runs as user postgres
log_path = os.path.join(data, 'demo.out')
env = dict(os.environ, GEOWARD_DATA_DIR=data, GEOWARD_PORT=os.environ.get('GEOWARD_PORT', '18080'),
           GEOWARD_KAFKA_PORT=os.environ.get('GEOWARD_KAFKA_PORT', '19192'))
env.pop('GEOWARD_DB_URL', None)
with open(log_path, 'w') as out:
    demo = subprocess.Popen([os.path.join(root, 'geoward'), 'demo', '--nodes', nodes], cwd=root, env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def text():
    with open(log_path, errors='replace') as f:
        return f.read()


def fail(why):
    print('demo-check: FAILED:', why, '(log:', log_path + ')')
    os.killpg(demo.pid, signal.SIGKILL)
    sys.exit(1)


began = time.time()
while 'Stop with Ctrl-C' not in text():
    if demo.poll() is not None:
        fail('the demo exited during start-up with %s' % demo.returncode)
    if time.time() - began > 600:
        fail('no URLs within 10 minutes')
    time.sleep(1)
urls = re.findall(r'node\d+: (http://\S+/)', text())
print('demo-check: %d nodes up after %.0f s: %s' % (len(urls), time.time() - began, ' '.join(urls)))
if len(urls) != int(nodes):
    fail('printed %d node URLs, not %s' % (len(urls), nodes))
for url in urls:
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url + 'ready', timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.time() > deadline:
            fail(url + 'ready did not answer 200 within 60 s')
        time.sleep(1)
print('demo-check: every node answers /ready 200')
stopped = time.time()
os.killpg(demo.pid, signal.SIGINT)
try:
    rc = demo.wait(60)
except subprocess.TimeoutExpired:
    fail('still running 60 s after Ctrl-C')
left = subprocess.run(['ps', '-o', 'pid=,args=', '-g', str(demo.pid)], capture_output=True, text=True).stdout.strip()
postgres = subprocess.run(['pgrep', '-f', 'postgres -D ' + data], capture_output=True, text=True).stdout.strip()
if left or postgres:
    fail('left running after Ctrl-C: %s %s' % (left, postgres))
print('demo-check: Ctrl-C stopped everything in %.1f s (exit %s)' % (time.time() - stopped, rc))
subprocess.run(['rm', '-rf', data])
