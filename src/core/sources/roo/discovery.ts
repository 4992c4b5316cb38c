import { clineFamilyDiscovery } from '../clineFamily/discovery';
import { rooFamily } from '../clineFamily/family';

/** Roo Code: the Cline family's discovery for its extension id (clineFamily/discovery.ts says where it looks). */
export const rooDiscovery = clineFamilyDiscovery(rooFamily);
