import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** Debian's nginx, wherever PATH puts it. */
function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
}

/**
 * nginx as an operator would put it in front of the instances: round robin, a failed peer left out for
 * 1 s (max_fails=1 fail_timeout=1s), keep-alive connections to the upstreams, and the next upstream
 * tried on a connection error, for every method (`proxy_next_upstream error non_idempotent`).
 * When a stopping instance closes its listener, the kernel resets the connections still waiting in its
 * accept queue; nginx has already written the request into such a connection, so without
 * `non_idempotent` it answers a POST with 502 (seen in 1 of 4 runs). Those requests never reached the
 * service, and the service never drops a request it accepted, so retrying them elsewhere is safe. A
 * read timeout is deliberately not retried (no `timeout`): that request may have been processed.
 */
export function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`).join('\n');
  return `${userInfo().uid === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream service {
${servers}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error non_idempotent;
    }
  }
}
`;
}

/** Starts nginx in the foreground with the drill's own configuration; resolves once it listens. */
export async function startNginx(dir: string, port: number, upstreams: number[]): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, port, upstreams));
  const child = spawn(nginxBinary(), ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start (${child.exitCode}); see ${dir}/error.log`);
    try {
      await fetch(`http://127.0.0.1:${port}/health/live`);
      return child;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error('nginx did not start within 10 s');
}
