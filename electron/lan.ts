// Addresses the other PCs of the branch use to reach this server, for the status window
// (a technician types one of these into each kiosk, agent PC and call board).
import type { NetworkInterfaceInfo } from 'node:os';

export interface StationUrls {
  address: string;
  interfaceName: string;
  origin: string;
  kiosk: string;
  agent: string;
  display: string;
}

/** IPv4, non-loopback addresses, in interface order (the LAN ones a branch uses). */
export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): Array<{ address: string; interfaceName: string }> {
  const result: Array<{ address: string; interfaceName: string }> = [];
  for (const [interfaceName, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.')) result.push({ address: info.address, interfaceName });
    }
  }
  return result;
}

export function stationUrls(port: number, addresses: Array<{ address: string; interfaceName: string }>): StationUrls[] {
  return addresses.map(({ address, interfaceName }) => {
    const origin = `http://${address}:${port}`;
    return { address, interfaceName, origin, kiosk: `${origin}/kiosk/`, agent: `${origin}/agent/`, display: `${origin}/display/` };
  });
}
