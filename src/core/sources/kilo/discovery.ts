import { clineFamilyDiscovery } from '../vscodeTaskLogs/discovery';
import { kiloFamily } from '../vscodeTaskLogs/family';

/** Kilo Code: the Cline family's discovery for its extension id (vscodeTaskLogs/discovery.ts says where it looks). */
export const kiloDiscovery = clineFamilyDiscovery(kiloFamily);
