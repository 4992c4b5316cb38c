import { clineFamilyDiscovery } from '../vscodeTaskLogs/discovery';
import { rooFamily } from '../vscodeTaskLogs/family';

/** Roo Code: the Cline family's discovery for its extension id (vscodeTaskLogs/discovery.ts says where it looks). */
export const rooDiscovery = clineFamilyDiscovery(rooFamily);
