import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses, stationUrls } from './lan.js';

function info(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

describe('LAN addresses of the server PC', () => {
  it('lists the IPv4 LAN addresses, not loopback, IPv6 or link-local', () => {
    const addresses = lanAddresses({
      lo: [info('127.0.0.1', 'IPv4', true)],
      Ethernet: [info('192.168.1.10', 'IPv4'), info('fe80::1', 'IPv6')],
      'Wi-Fi': [info('169.254.3.4', 'IPv4'), info('10.0.0.7', 'IPv4')],
    });
    expect(addresses).toEqual([
      { address: '192.168.1.10', interfaceName: 'Ethernet' },
      { address: '10.0.0.7', interfaceName: 'Wi-Fi' },
    ]);
  });

  it('gives each station its URL', () => {
    expect(stationUrls(3000, [{ address: '192.168.1.10', interfaceName: 'Ethernet' }])).toEqual([
      {
        address: '192.168.1.10',
        interfaceName: 'Ethernet',
        origin: 'http://192.168.1.10:3000',
        kiosk: 'http://192.168.1.10:3000/kiosk/',
        agent: 'http://192.168.1.10:3000/agent/',
        display: 'http://192.168.1.10:3000/display/',
      },
    ]);
  });
});
