// Senegal's 14 regions as a schematic tile map (one square per region, placed roughly where it lies: coast to the
// west, the river to the north, Casamance to the south). Not a geographic outline: a glanceable grid.
import { useTranslation } from 'react-i18next';
import { REGIONS, type Region } from '../../server/src/shared/contracts/domain.js';

const TILES: Record<Region, [number, number]> = {
  'Saint-Louis': [0, 2], Louga: [1, 2], Matam: [1, 3], Dakar: [2, 0], 'Thiès': [2, 1], Diourbel: [2, 2],
  Fatick: [3, 1], Kaolack: [3, 2], Kaffrine: [3, 3], Tambacounda: [3, 4], Ziguinchor: [4, 0], 'Sédhiou': [4, 1], Kolda: [4, 2], 'Kédougou': [4, 4],
};
export type RegionState = { branches: number; offline: number; stale: number; waiting: number };

const SIZE = 92;
export function RegionMap({ states, selected, onSelect }: { states: Map<string, RegionState>; selected: string; onSelect: (r: string) => void }) {
  const { t } = useTranslation();
  return (
    <svg className="map" viewBox={`0 0 ${5 * SIZE} ${5 * SIZE}`} role="group" aria-label={t('now.map')}>
      {REGIONS.map((r) => {
        const [row, col] = TILES[r];
        const s = states.get(r);
        const fill = !s ? '#eef1f0' : s.offline ? '#b42318' : s.stale ? '#b54708' : '#05603a';
        const fg = s ? '#fff' : '#1d2939';
        const label = s ? t('now.tile', { region: r, n: s.branches, waiting: s.waiting, offline: s.offline, stale: s.stale }) : t('now.tileEmpty', { region: r });
        return (
          <g key={r} role="button" tabIndex={0} aria-label={label} aria-pressed={selected === r} onClick={() => onSelect(selected === r ? '' : r)}
            onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(selected === r ? '' : r); } }}>
            <rect x={col * SIZE + 3} y={row * SIZE + 3} width={SIZE - 6} height={SIZE - 6} rx={8} fill={fill} stroke={selected === r ? '#1d4ed8' : 'none'} strokeWidth={4} />
            {/* One text element: its words are the start of the tile's name (what is seen is what is announced). */}
            <text x={col * SIZE + SIZE / 2} y={row * SIZE + 38} textAnchor="middle" fontSize={13} fill={fg}>{r}
              {s && <tspan x={col * SIZE + SIZE / 2} dy={24} fontSize={18} fontWeight={700}> {s.waiting}</tspan>}</text>
          </g>
        );
      })}
    </svg>
  );
}
