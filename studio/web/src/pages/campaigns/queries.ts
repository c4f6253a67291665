// The campaign pages' GraphQL documents (typed by codegen).
import { doc, graphql } from '../../api/doc';

export const CampaignListDoc = doc(graphql(`
  query CampaignList($from: DateTime!, $to: DateTime!) {
    campaigns(includeArchived: false) {
      id key name description status timeZone priority channels startsAt endsAt startsAtLocal endsAtLocal
      stoppedAt stoppedBy version releaseSize nextTransition holdout cap { max per timeZone perChannel }
      variants { entryId type slug locale blockId variant published }
      release { entryId locale type slug scheduledVersion }
    }
    campaignConflicts(from: $from, to: $to) {
      entryId type slug blockId locales from to channels reason
      campaigns { id key } winner { id key }
    }
  }
`));

export const CreateCampaignDoc = doc(graphql(`
  mutation CreateCampaignStudio($input: CreateCampaignInput!) { createCampaign(input: $input) { id key version } }
`));
export const ScheduleLocalDoc = doc(graphql(`
  mutation ScheduleCampaignLocal($id: ID!, $startsAt: String!, $endsAt: String!, $expectedVersion: Int) {
    scheduleCampaignLocal(id: $id, startsAt: $startsAt, endsAt: $endsAt, expectedVersion: $expectedVersion) { id status startsAt endsAt version }
  }
`));
export const LaunchCampaignDoc = doc(graphql(`mutation LaunchCampaignStudio($id: ID!, $endsAt: DateTime) { launchCampaign(id: $id, endsAt: $endsAt) { id status startsAt endsAt } }`));
export const StopCampaignDoc = doc(graphql(`mutation StopCampaignStudio($id: ID!) { stopCampaign(id: $id) { id status stoppedAt } }`));
export const DuplicateCampaignDoc = doc(graphql(`
  mutation DuplicateCampaign($id: ID!, $newKey: String!, $name: String) { duplicateCampaign(id: $id, newKey: $newKey, name: $name) { id key } }
`));
export const ArchiveCampaignDoc = doc(graphql(`mutation ArchiveCampaign($id: ID!) { archiveCampaign(id: $id) { id archived } }`));
export const AddToReleaseDoc = doc(graphql(`
  mutation AddToRelease($campaignId: ID!, $entryId: ID!, $locale: String) { addToRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }
`));
export const RemoveFromReleaseDoc = doc(graphql(`
  mutation RemoveFromRelease($campaignId: ID!, $entryId: ID!, $locale: String) { removeFromRelease(campaignId: $campaignId, entryId: $entryId, locale: $locale) { id releaseSize } }
`));
export const ExperienceDiffDoc = doc(graphql(`
  query LaunchDiff($slug: String!, $type: String, $locale: String, $context: ExperienceContext, $from: DateTime!, $to: DateTime!) {
    experienceDiff(slug: $slug, type: $type, locale: $locale, context: $context, from: $from, to: $to) {
      slug changed changes { blockId type kind fields before { decision { variant } } after { decision { variant } } }
    }
  }
`));
export const DraftPickDoc = doc(graphql(`
  query DraftPick($type: String) { drafts(type: $type, first: 100) { id type slug locale status } }
`));
export const VariantTargetingDoc = doc(graphql(`
  query VariantTargeting($id: ID!, $locale: String) { draft(id: $id, locale: $locale) { id fields variants } }
`));
