// The report pages' GraphQL documents (typed by codegen from
// graph/reports.graphqls and graph/personalization.graphqls).
import { doc, graphql } from '../../api/doc';

export const ExperimentListDoc = doc(graphql(`
  query ReportExperiments { experiments { key name status startedAt stoppedAt winner coverage arms { key weight } } }
`));

export const ExperimentDoc = doc(graphql(`
  query ReportExperiment($key: String!) {
    experiment(key: $key) { key name status startedAt stoppedAt winner coverage holdout version arms { key weight } }
    metrics { key name kind event conversionWindow goal guardrail }
  }
`));

export const ExperimentResultsDoc = doc(graphql(`
  query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean) {
    experimentResults(key: $key, metric: $metric, from: $from, to: $to, alpha: $alpha, sequential: $sequential) {
      experiment visitors computedAt alpha sequential multipleExposures multipleExposureShare
      metric { key name kind goal conversionWindow }
      arms { key visitors conversions total rate lift ciLow ciHigh pValue chanceToWin expectedLoss reason }
      srm { pValue warning tooFewUnits expectedShare observedShare }
    }
  }
`));

export const EligibilityDoc = doc(graphql(`
  query ReportEligibility($key: String!, $from: DateTime!, $to: DateTime!) {
    experimentEligibility(key: $key, from: $from, to: $to) {
      scanned computedAt blocks { entryId blockId exposed taken bySegment byContext byCampaign }
    }
  }
`));

export const StartExperimentDoc = doc(graphql(`
  mutation ReportStartExperiment($key: String!) { startExperiment(key: $key) { key status startedAt } }
`));
export const StopExperimentDoc = doc(graphql(`
  mutation ReportStopExperiment($key: String!, $winner: String) { stopExperiment(key: $key, winner: $winner) { key status stoppedAt winner } }
`));

export const ReportCampaignsDoc = doc(graphql(`
  query ReportCampaigns { campaigns(includeArchived: false) { key name status } metrics { key event } }
`));

export const CampaignReportDoc = doc(graphql(`
  query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {
    campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {
      campaign reach event window computedAt
      variants { key reach exposures }
      devices { key reach exposures }
      channels { key reach exposures }
      outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor }
    }
  }
`));
