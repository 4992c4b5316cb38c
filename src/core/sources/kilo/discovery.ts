import { clineFamilyDiscovery } from '../clineFamily/discovery';
import { kiloFamily } from '../clineFamily/family';

/** Kilo Code: the Cline family's discovery for its extension id (clineFamily/discovery.ts says where it looks). */
export const kiloDiscovery = clineFamilyDiscovery(kiloFamily);
