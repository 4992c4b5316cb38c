import { clineFamilyDiscovery } from '../vscodeTaskLogs/discovery';
import { clineFamily } from '../vscodeTaskLogs/family';

/** Cline: the Cline family's discovery for its extension id (vscodeTaskLogs/discovery.ts says where it looks). */
export const clineDiscovery = clineFamilyDiscovery(clineFamily);
