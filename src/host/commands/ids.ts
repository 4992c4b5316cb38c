/** Every command id of the extension (titles and category are in package.json `contributes.commands`). */
export enum CommandId {
  ShowDashboard = 'agentMeter.showDashboard',
  ExportCsv = 'agentMeter.exportCsv',
  ExportJson = 'agentMeter.exportJson',
  Refresh = 'agentMeter.refresh',
  RebuildIndex = 'agentMeter.rebuildIndex',
  ShowLog = 'agentMeter.showLog',
  OpenSettings = 'agentMeter.openSettings',
  TeamConnect = 'agentMeter.team.connect',
  TeamDisconnect = 'agentMeter.team.disconnect',
  TeamPushNow = 'agentMeter.team.pushNow',
  ConfigureAlertWebhook = 'agentMeter.configureAlertWebhook',
}
