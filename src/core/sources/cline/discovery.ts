import { clineFamilyDiscovery } from '../clineFamily/discovery';
import { clineFamily } from '../clineFamily/family';

/** Cline: the Cline family's discovery for its extension id (clineFamily/discovery.ts says where it looks). */
export const clineDiscovery = clineFamilyDiscovery(clineFamily);
