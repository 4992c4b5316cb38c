import { clineFamily } from '../vscodeTaskLogs/family';
import { clineFamilySource } from '../vscodeTaskLogs/source';
import { clineDiscovery } from './discovery';

/** Cline (VS Code extension saoudrizwan.claude-dev); also ~/.cline/data (CLINE_DATA_DIR / CLINE_DIR). */
export const clineSource = clineFamilySource(clineFamily, clineDiscovery, '#0e7c86');
