// Certificates made at test time with `openssl` (.ci/run installs it): a CA, a server certificate for 127.0.0.1
// signed by it, and a client certificate signed by it for mutual TLS. EC P-256 keys, valid for a day.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  /** Paths, for the collector's flags. */
  caPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  /** PEM contents, for clients. */
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-tls-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(name));
  key('ca.key');
  openssl('req', '-x509', '-new', '-key', path('ca.key'), '-subj', '/CN=tokenledger test CA', '-days', '1', '-out', path('ca.pem'));
  const signed = (name: string, subject: string, extensions: string) => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', path(`${name}.key`), '-subj', subject, '-out', path(`${name}.csr`));
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.pem`),
    );
  };
  signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed('client', '/CN=test client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caPath: path('ca.pem'),
    serverCertPath: path('server.pem'),
    serverKeyPath: path('server.key'),
    ca: readFileSync(path('ca.pem')),
    clientCert: readFileSync(path('client.pem')),
    clientKey: readFileSync(path('client.key')),
  };
}
