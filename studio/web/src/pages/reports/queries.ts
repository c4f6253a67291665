// The report pages' GraphQL documents (typed by codegen from
// graph/reports.graphqls and graph/personalization.graphqls).
import { doc, graphql } from '../../api/doc';

export const ExperimentListDoc = doc(graphql(`
  query ReportExperiments { experiments { key name status startedAt stoppedAt winner coverage arms { key weight } } }
`));

export const ExperimentDoc = doc(graphql(`
  query ReportExperiment($key: String!) {
    experiment(key: $key) {
      key name status startedAt stoppedAt winner coverage holdout version arms { key weight }
      primaryMetric guardrailMetrics plannedSampleSize rollout { entryId locale version }
    }
    metrics { key name kind event conversionWindow goal guardrail }
  }
`));

export const ExperimentResultsDoc = doc(graphql(`
  query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean, $breakdown: [ExperimentBreakdown!]) {
    experimentResults(key: $key, metric: $metric, from: $from, to: $to, alpha: $alpha, sequential: $sequential, breakdown: $breakdown) {
      experiment visitors computedAt alpha sequential multipleExposures multipleExposureShare
      metric { key name kind goal conversionWindow }
      arms { key visitors conversions total rate lift ciLow ciHigh pValue chanceToWin expectedLoss reason }
      srm { pValue warning tooFewUnits expectedShare observedShare }
      daily { day arms { key visitors conversions rate cumulativeVisitors cumulativeRate } }
      breakdowns { dimension cells { value visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin reason } srm { warning pValue } } }
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
  mutation ReportStopExperiment($key: String!, $winner: String, $rollout: Boolean) {
    stopExperiment(key: $key, winner: $winner, rollout: $rollout) { key status stoppedAt winner rollout { entryId locale version } }
  }
`));

export const ReportCampaignsDoc = doc(graphql(`
  query ReportCampaigns { campaigns(includeArchived: false) { key name status } metrics { key event } }
`));

export const CampaignReportDoc = doc(graphql(`
  query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {
    campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {
      campaign reach event window computedAt cpa roas
      cost { amount currency }
      variants { key reach exposures }
      devices { key reach exposures }
      channels { key reach exposures }
      outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor }
      holdout
      lift {
        observedHoldoutShare note
        exposed { visitors conversions conversionRate revenue revenuePerVisitor }
        heldOut { visitors conversions conversionRate revenue revenuePerVisitor }
        conversionRate { lift ciLow ciHigh pValue significant reason }
        revenuePerVisitor { lift ciLow ciHigh pValue significant reason }
        srm { pValue warning }
      }
    }
  }
`));

export const KpisDoc = doc(graphql(`
  query ReportKpis($from: DateTime, $to: DateTime, $goal: String) {
    byDevice: kpis(from: $from, to: $to, goal: $goal, breakdown: [DEVICE]) {
      from to goal computedAt
      total { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }
      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }
    }
    byChannel: kpis(from: $from, to: $to, goal: $goal, breakdown: [CHANNEL]) {
      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }
    }
  }
`));

export const FunnelDoc = doc(graphql(`
  query ReportFunnel($steps: [String!]!, $window: String, $from: DateTime, $to: DateTime, $breakdown: [KpiDimension!]) {
    funnel(steps: $steps, window: $window, from: $from, to: $to, breakdown: $breakdown) {
      steps window from to scanned computedAt
      total { people crossDevice crossDeviceShare steps { index event people crossDevice conversionRate stepRate dropOff dropOffRate medianSecondsFromPrevious } }
      groups { device channel locale people crossDevice crossDeviceShare steps { index event people conversionRate dropOff } }
    }
  }
`));
