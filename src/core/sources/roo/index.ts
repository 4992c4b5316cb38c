import { rooFamily } from '../vscodeTaskLogs/family';
import { clineFamilySource } from '../vscodeTaskLogs/source';
import { rooDiscovery } from './discovery';

/** Roo Code (VS Code extension rooveterinaryinc.roo-cline); a moved storage (`roo-cline.customStoragePath`) is given as a directory. */
export const rooSource = clineFamilySource(rooFamily, rooDiscovery, '#c2185b');
