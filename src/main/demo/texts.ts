// Word lists and message templates of the demo center: topics per issue type with what customers
// say and what agents answer, in the styles of each channel. Data only; generator.ts picks and fills.
import type { IssueType } from '../../shared/domain';

/**
 * One kind of problem. Templates use {placeholders} filled from a case's context (see generator.ts):
 * {first} {name} {agent} {product} {order} {code} {amount} {plan} {invoice} {tracking} {carrier}
 * {city} {country} {endpoint} {version} {last4} {days} {device} {ref} {ticket} {team} {month}.
 */
export interface Topic {
  issue: IssueType;
  subject: string;
  /** A one-line statement of the problem: chat, SMS, social and in-app openers. */
  short: readonly string[];
  /** Sentences for a longer description: the first email. */
  details: readonly string[];
  /** What the customer says later in the conversation. */
  followUps: readonly string[];
  /** Agent questions that move the case along. */
  asks: readonly string[];
  /** Agent answers that resolve it. */
  fixes: readonly string[];
  resolutions: readonly string[];
  /** Knowledge-base articles a customer with this problem reads on the portal. */
  articles: readonly string[];
}

export const BRAND = 'Omni';
export const SUPPORT_DOMAIN = 'support.example';
export const SUPPORT_SIGNATURE = 'Omni Support';

export const TOPICS: readonly Topic[] = [
  // ------------------------------------------------------------------ technical
  {
    issue: 'technical',
    subject: 'Error {code} when syncing {product}',
    short: ['{product} sync fails with error {code}', 'getting {code} every time {product} tries to sync', 'sync keeps failing on my {product}, error {code}'],
    details: [
      'Since this morning {product} fails to sync and shows error {code}.',
      'I restarted the app and signed out and back in, but the error {code} comes back within a few minutes.',
      'It started right after the update to version {version} on my {device}.',
      'Nothing is lost as far as I can tell, but changes from my other devices no longer show up.',
    ],
    followUps: ['Still getting {code} after clearing the cache.', 'I tried the steps you sent but sync still fails on the {device}.', 'It worked for an hour and now the error is back.', 'Here is a screenshot of the error message.'],
    asks: ['Could you tell me which version of {product} you are on and whether it happens on Wi-Fi and mobile data?', 'Could you send the diagnostic report from Settings > Help > Send diagnostics so I can look at the sync log?'],
    fixes: [
      'Error {code} means the local cache is out of date. Clearing it under Settings > Storage and syncing again fixes it.',
      'We shipped a fix for {code} in version {version}; updating {product} resolves the sync failure.',
    ],
    resolutions: ['solved', 'bug_fixed', 'workaround'],
    articles: ['Fixing sync errors in {product}', 'What error {code} means', 'Clearing the local cache'],
  },
  {
    issue: 'technical',
    subject: '{product} crashes on startup after update',
    short: ['{product} crashes as soon as I open it', 'app closes right after the splash screen since the update', '{product} keeps crashing on my {device}'],
    details: [
      'After updating {product} to {version} the app crashes immediately on startup.',
      'I reinstalled it twice and rebooted the {device}; it still closes after the splash screen.',
      'The crash report mentions {code}.',
      'I use it every day for work, so this is quite disruptive.',
    ],
    followUps: ['Reinstalled again, same crash.', 'The crash only happens when I am signed in.', 'The beta build you linked works, thanks.'],
    asks: ['Which operating system version is the {device} running?', 'Could you send the crash log? It is under Settings > Privacy > Analytics on most devices.'],
    fixes: ['The crash is a known issue in {version} ({ticket}); version {version} hotfix 2 is now live and fixes it.', 'Removing the old offline database and signing in again stops the crash on startup.'],
    resolutions: ['bug_fixed', 'workaround', 'solved'],
    articles: ['{product} closes unexpectedly', 'Reinstalling {product} without losing data'],
  },
  {
    issue: 'technical',
    subject: 'Cannot connect {product} to Wi-Fi',
    short: ['my {product} will not connect to wifi', '{product} stuck on "connecting"', 'cannot get {product} onto my home network'],
    details: [
      'I cannot get the {product} to join my Wi-Fi network.',
      'It stays on "connecting" for a minute and then shows {code}.',
      'Other devices connect fine, and the router is right next to it.',
      'I already tried the reset button on the back.',
    ],
    followUps: ['It connected once and dropped again.', 'My router is on 5 GHz only, could that be it?', 'Factory reset done, still no connection.'],
    asks: ['Is your network 2.4 GHz or 5 GHz? {product} needs 2.4 GHz for the first setup.', 'Could you tell me the router model and whether the network name has special characters?'],
    fixes: ['Enabling the 2.4 GHz band for the setup lets {product} connect; it can move to 5 GHz afterwards.', 'A firmware update ({version}) fixes the connection drop; it installs automatically once connected by cable.'],
    resolutions: ['solved', 'workaround', 'replacement_sent'],
    articles: ['Connecting {product} to Wi-Fi', 'Troubleshooting connection problems'],
  },
  {
    issue: 'technical',
    subject: 'API requests to {endpoint} failing with {code}',
    short: ['our calls to {endpoint} fail with {code}', 'API {endpoint} returning {code} since this morning', 'integration broken: {endpoint} gives {code}'],
    details: [
      'Our integration gets {code} responses from {endpoint} for about one request in ten.',
      'Example request id: {ref}. Retrying usually works, but some requests time out after 30 seconds.',
      'We have not changed anything on our side in the last week.',
      'This affects order imports for our {city} warehouse.',
    ],
    followUps: ['Another failure just now, request id {ref}.', 'Error rate went down overnight but is climbing again.', 'Is there a status page we can watch for this?'],
    asks: ['Could you send a few request ids with timestamps in UTC so our API team can trace them?', 'Which API version and SDK are you using, and do the failures come from one region?'],
    fixes: ['A misconfigured load balancer in one region caused the {code} responses; it was fixed and error rates are back to normal.', 'The rate limit for {endpoint} was raised for your account; the {code} errors should stop.'],
    resolutions: ['bug_fixed', 'escalated_to_engineering', 'solved'],
    articles: ['API error codes', 'Rate limits and retries', 'Checking the API status page'],
  },
  {
    issue: 'technical',
    subject: 'Login loop in the {product} app',
    short: ['stuck in a login loop in {product}', 'the app keeps sending me back to the sign-in page', 'cannot get past login on {product}'],
    details: [
      'Every time I sign in to {product} it takes me straight back to the sign-in page.',
      'This happens in the app on my {device} and in the browser.',
      'Password resets work, but the loop continues.',
    ],
    followUps: ['Cleared cookies, still looping.', 'Private window works, normal window does not.', 'It works now on the {device} but not on my laptop.'],
    asks: ['Do you use single sign-on through your company, or a password?', 'Could you try a private browser window and tell me whether the loop happens there too?'],
    fixes: ['An expired session cookie caused the loop; signing out everywhere from the account page clears it.', 'We fixed a single sign-on setting on your workspace; sign-in works again.'],
    resolutions: ['solved', 'workaround'],
    articles: ['Sign-in problems', 'Signing out of all devices'],
  },
  {
    issue: 'technical',
    subject: 'Webhooks from {product} arriving late',
    short: ['webhooks from {product} are delayed by minutes', 'our webhook endpoint gets events very late', 'event notifications lagging badly'],
    details: [
      'Webhook deliveries from {product} have been arriving five to fifteen minutes late since yesterday.',
      'Our endpoint answers in under 200 ms, so the delay is not on our side as far as we can see.',
      'Delivery id {ref} is one example.',
    ],
    followUps: ['Still delayed today.', 'Some events arrive twice as well.', 'Seems fine since this morning.'],
    asks: ['Could you share the endpoint URL and a few delivery ids so we can check the queue?', 'Does your endpoint return a 2xx status for every delivery?'],
    fixes: ['A backlog in our webhook queue caused the delay; it is cleared and deliveries are on time again.', 'Your endpoint was returning 301 redirects, so deliveries were retried; pointing the webhook to the final URL fixes it.'],
    resolutions: ['bug_fixed', 'solved'],
    articles: ['Webhook retries and delivery order', 'Verifying webhook signatures'],
  },
  {
    issue: 'technical',
    subject: 'Export to CSV is missing rows',
    short: ['CSV export from {product} is missing rows', 'exported report has fewer lines than the screen', 'export cuts off after some rows'],
    details: [
      'When I export the monthly report from {product} to CSV, the file has fewer rows than the table on screen.',
      'The export stops at exactly 10,000 rows.',
      'We need the full export for our accounting close on the {days}th.',
    ],
    followUps: ['The filtered export works, the full one does not.', 'Tried Excel and Numbers, same row count.'],
    asks: ['How many rows does the report show on screen?', 'Which date range and filters did you use for the export?'],
    fixes: ['Exports above 10,000 rows are now sent by email as a zipped file; your full export is on its way.', 'Splitting the export by month works around the limit until the fix ships in {version}.'],
    resolutions: ['workaround', 'bug_fixed'],
    articles: ['Exporting reports', 'Export limits'],
  },
  // ------------------------------------------------------------------ billing
  {
    issue: 'billing',
    subject: 'Charged twice for order {order}',
    short: ['I was charged twice for order {order}', 'double charge on my card for {order}', 'two payments of {amount} for one order'],
    details: [
      'I see two charges of {amount} on my card ending {last4} for order {order}.',
      'I only placed the order once and received one confirmation email.',
      'Please refund the duplicate charge.',
    ],
    followUps: ['The second charge is still on my statement.', 'My bank says it is not a pending authorisation.', 'I can see the refund now, thank you.'],
    asks: ['Could you confirm the last four digits of the card and the dates of both charges?', 'Is the second charge still pending, or has it posted to your statement?'],
    fixes: ['The duplicate charge of {amount} was refunded to the card ending {last4}; it shows up within 3-5 business days.', 'The second charge was an authorisation hold that drops off automatically; your card was charged once.'],
    resolutions: ['refund_issued', 'information_provided'],
    articles: ['Why do I see two charges?', 'Refund timelines'],
  },
  {
    issue: 'billing',
    subject: 'Refund for invoice {invoice}',
    short: ['when will I get the refund for {invoice}?', 'still waiting on my refund of {amount}', 'refund for {invoice} not received'],
    details: [
      'I was promised a refund of {amount} for invoice {invoice} two weeks ago.',
      'I have not seen it on my account yet.',
      'Could you tell me when it was issued and to which payment method?',
    ],
    followUps: ['Still nothing on my account.', 'It arrived today, thanks.', 'Which reference should I give my bank?'],
    asks: ['Could you check whether the refund went to the original card or to account credit?', 'Which bank account or card did you pay invoice {invoice} with?'],
    fixes: ['The refund of {amount} for {invoice} was issued today; the bank reference is {ref}.', 'The refund went to your account credit; I moved it back to your card.'],
    resolutions: ['refund_issued', 'information_provided'],
    articles: ['Refund timelines', 'Account credit and refunds'],
  },
  {
    issue: 'billing',
    subject: 'Question about {plan} plan pricing',
    short: ['how much is the {plan} plan per seat?', 'question about {plan} pricing', 'is there an annual discount on {plan}?'],
    details: [
      'We are thinking about moving our team to the {plan} plan.',
      'Is the price per seat, and is there a discount for annual billing?',
      'We would also like to know what happens to our data if we downgrade later.',
    ],
    followUps: ['What about seats added in the middle of the year?', 'Thanks, that helps with the budget request.'],
    asks: ['How many seats would you need, and would you prefer monthly or annual billing?'],
    fixes: ['The {plan} plan is billed per seat; annual billing saves two months, and seats added later are prorated.', 'I sent you a quote for the {plan} plan with annual billing; it is valid for {days} days.'],
    resolutions: ['information_provided', 'quote_sent'],
    articles: ['Plans and pricing', 'Changing your plan'],
  },
  {
    issue: 'billing',
    subject: 'Card ending {last4} declined on renewal',
    short: ['my renewal failed, card {last4} declined', 'payment declined for my {plan} subscription', 'cannot renew, card keeps getting declined'],
    details: [
      'Our {plan} subscription renewal failed and the card ending {last4} was declined.',
      'The card works everywhere else and has enough credit.',
      'We do not want the account to lapse.',
    ],
    followUps: ['Tried again with the same result.', 'Updated the card, it went through now.'],
    asks: ['Does your bank require 3-D Secure confirmation for this card?', 'Could you try updating the card under Billing > Payment methods?'],
    fixes: ['The bank blocked the charge as foreign; after approving it in your banking app the renewal went through.', 'I extended your {plan} plan by {days} days while the card issue is sorted out.'],
    resolutions: ['solved', 'information_provided'],
    articles: ['Declined payments', 'Updating your payment method'],
  },
  {
    issue: 'billing',
    subject: 'Need a VAT invoice for {invoice}',
    short: ['need a VAT invoice for {invoice}', 'can you add our VAT number to {invoice}?', 'invoice is missing our company address'],
    details: [
      'Our accounts team needs invoice {invoice} reissued with our VAT number and company address.',
      'The current invoice only has my name on it.',
    ],
    followUps: ['Got it, thanks.', 'The address is still the old one.'],
    asks: ['Could you send the VAT number and the billing address you want on the invoice?'],
    fixes: ['I reissued {invoice} with your VAT number and company address; it is in your billing history.'],
    resolutions: ['information_provided', 'solved'],
    articles: ['Adding a VAT number', 'Downloading invoices'],
  },
  {
    issue: 'billing',
    subject: 'Cancel subscription and refund the remaining {days} days',
    short: ['I want to cancel and get the last {days} days refunded', 'please cancel my {plan} subscription', 'how do I cancel?'],
    details: [
      'Please cancel our {plan} subscription effective today.',
      'We were charged {amount} three days ago and would like the unused {days} days refunded.',
    ],
    followUps: ['Please confirm once it is cancelled.', 'Thanks for sorting that out.'],
    asks: ['Before I cancel: would a pause for up to three months help instead?'],
    fixes: ['Your subscription is cancelled and a prorated refund of {amount} is on its way.', 'I cancelled the renewal; the plan stays active until the end of the paid period.'],
    resolutions: ['refund_issued', 'cancelled'],
    articles: ['Cancelling your subscription', 'Pausing your plan'],
  },
  // ------------------------------------------------------------------ account
  {
    issue: 'account',
    subject: "Can't reset my password",
    short: ['password reset email never arrives', 'cannot reset my password', 'reset link says it expired'],
    details: ['I requested a password reset three times but no email arrives.', 'I checked the spam folder.', 'When an email did arrive yesterday the link said it had expired.'],
    followUps: ['Still nothing in my inbox.', 'Got it this time, I am back in.', 'The link expires before I can click it.'],
    asks: ['Which email address is on the account? I will check whether our messages bounce.', 'Could you add {domain} to your safe senders and request a new link?'],
    fixes: ['Your mail server was rejecting our messages; I sent the reset link to the backup address on file.', 'I reset the password manually and sent a one-time link that is valid for 24 hours.'],
    resolutions: ['solved', 'information_provided'],
    articles: ['Resetting your password', 'Not receiving our emails'],
  },
  {
    issue: 'account',
    subject: 'Two-factor codes not arriving',
    short: ['not getting my 2FA code by SMS', 'two-factor code never shows up', 'locked out, no verification code'],
    details: ['The two-factor code for my account does not arrive by text message any more.', 'I changed phones last week but kept the same number.'],
    followUps: ['Used a backup code, I am in.', 'Codes still do not arrive.'],
    asks: ['Do you still have your backup codes? One of them gets you in right away.', 'Could you confirm the last two digits of the phone number on the account?'],
    fixes: ['I switched your two-factor method to the authenticator app after verifying your identity.', 'Your carrier was blocking short codes; codes now come from a regular number.'],
    resolutions: ['solved', 'identity_verified'],
    articles: ['Setting up two-factor authentication', 'Using backup codes'],
  },
  {
    issue: 'account',
    subject: 'Change the email on my account',
    short: ['how do I change my account email?', 'need to update my login email', 'changed jobs, need a new email on my account'],
    details: ['I would like to change the email address on my account.', 'The old address belongs to my previous employer and I will lose access soon.'],
    followUps: ['Confirmation sent to the new address.', 'Did not get the confirmation yet.'],
    asks: ['For security, could you confirm the date of your last order or invoice?'],
    fixes: ['The email on your account is updated; please confirm the change from the message we sent to the new address.'],
    resolutions: ['solved', 'identity_verified'],
    articles: ['Changing your email address', 'Keeping your account secure'],
  },
  {
    issue: 'account',
    subject: 'Account locked after failed sign-ins',
    short: ['my account is locked', 'locked out after too many attempts', 'account says temporarily locked'],
    details: ['My account was locked after a few failed sign-in attempts.', 'I think my password manager filled in an old password.', 'I need access for a presentation this afternoon.'],
    followUps: ['Still locked.', 'I am in, thanks!'],
    asks: ['Could you confirm the email on the account and the city of your billing address?'],
    fixes: ['I unlocked your account and sent a password reset link; the lock clears by itself after 30 minutes as well.'],
    resolutions: ['solved'],
    articles: ['Locked accounts', 'Resetting your password'],
  },
  {
    issue: 'account',
    subject: 'Add a seat for a new team member',
    short: ['need to add a new user to our {plan} plan', 'how do I add a seat?', 'new hire needs access'],
    details: ['We have a new team member starting on Monday and need to add a seat to our {plan} plan.', 'The add-user button is greyed out for me.'],
    followUps: ['Button is still greyed out.', 'Worked, thank you.'],
    asks: ['Are you an owner or an admin on the workspace? Only owners can add paid seats.'],
    fixes: ['I made you an owner on the workspace, so you can add seats; the new seat is prorated on the next invoice.'],
    resolutions: ['solved', 'information_provided'],
    articles: ['Adding team members', 'Roles and permissions'],
  },
  {
    issue: 'account',
    subject: 'Delete my account and data',
    short: ['please delete my account', 'I want all my data removed', 'close my account please'],
    details: ['Please delete my account and all data associated with it.', 'I no longer use the service.'],
    followUps: ['Has this been done?', 'Thanks for confirming.'],
    asks: ['Would you like an export of your data before we delete the account?'],
    fixes: ['Your account is scheduled for deletion; all data is removed within 30 days and you will get a confirmation email.'],
    resolutions: ['account_closed'],
    articles: ['Deleting your account', 'Exporting your data'],
  },
  // ------------------------------------------------------------------ shipping
  {
    issue: 'shipping',
    subject: 'Where is my order {order}?',
    short: ['where is my order {order}?', 'order {order} has not arrived', 'tracking for {order} has not moved in days'],
    details: [
      'I ordered a {product} ({order}) on {month} {days} and it still has not arrived.',
      'The {carrier} tracking number {tracking} has not updated for four days.',
      'It was supposed to be a gift, so I need it soon.',
    ],
    followUps: ['Tracking still shows the same status.', 'It just arrived, thanks!', 'The carrier says to contact you.'],
    asks: ['Could you confirm the delivery address for {order}?', 'I have asked {carrier} for a trace on {tracking}; could you check with neighbours in the meantime?'],
    fixes: ['{carrier} found the parcel at their {city} depot; it is out for delivery tomorrow.', 'The parcel was lost, so I sent a replacement {product} by express; new tracking number {tracking}.'],
    resolutions: ['replacement_sent', 'information_provided', 'solved'],
    articles: ['Tracking your order', 'Delivery times by country'],
  },
  {
    issue: 'shipping',
    subject: 'Package marked delivered but not received',
    short: ['tracking says delivered but nothing here', 'order {order} marked delivered, not received', 'parcel delivered to the wrong address?'],
    details: ['The tracking for order {order} says it was delivered yesterday at 14:10, but there is no parcel.', 'I checked with the neighbours and the building reception.'],
    followUps: ['Still not found.', 'A neighbour had it, all good.', 'Can you send a replacement?'],
    asks: ['Could you check for a delivery card or a safe-place photo in the {carrier} app?'],
    fixes: ['I opened a claim with {carrier} and shipped a replacement {product}; tracking {tracking}.', 'The driver left it at the parcel locker on {city} Street; the pickup code is in your email.'],
    resolutions: ['replacement_sent', 'refund_issued', 'solved'],
    articles: ['My order shows delivered but I cannot find it'],
  },
  {
    issue: 'shipping',
    subject: 'Wrong item in order {order}',
    short: ['got the wrong item in {order}', 'received something I did not order', 'order {order} had the wrong colour'],
    details: ['Order {order} arrived today but the box contains the wrong item.', 'I ordered a {product} and received something else.', 'Photos attached.'],
    followUps: ['Return label received.', 'Replacement arrived, thanks.'],
    asks: ['Could you send a photo of the item and the packing slip?'],
    fixes: ['I sent a prepaid return label and the correct {product} ships today; you can keep the packaging.'],
    resolutions: ['replacement_sent'],
    articles: ['Returns and exchanges', 'Reporting a wrong or missing item'],
  },
  {
    issue: 'shipping',
    subject: 'Change delivery address for {order}',
    short: ['can I change the address for {order}?', 'need to update shipping address', 'moving next week, order {order} going to old address'],
    details: ['I need to change the delivery address for order {order}.', 'I am moving to {city} next week and the parcel would go to the old flat.'],
    followUps: ['Thanks, new address confirmed.', 'Has it shipped already?'],
    asks: ['What is the new address? If the parcel has left the warehouse I will ask {carrier} to redirect it.'],
    fixes: ['The address on {order} is updated; it ships tomorrow to the new address.', '{carrier} accepted the redirect; tracking {tracking} now shows the new address.'],
    resolutions: ['solved'],
    articles: ['Changing your delivery address'],
  },
  {
    issue: 'shipping',
    subject: '{product} arrived damaged',
    short: ['my {product} arrived broken', 'box was crushed and {product} is damaged', 'damaged item in order {order}'],
    details: ['The {product} from order {order} arrived with a cracked case.', 'The outer box was crushed on one side.', 'I kept all the packaging.'],
    followUps: ['Photos attached.', 'Replacement arrived in one piece.'],
    asks: ['Could you send photos of the item and the box so I can file the claim with {carrier}?'],
    fixes: ['A replacement {product} is on its way at no cost, and you do not need to return the damaged one.'],
    resolutions: ['replacement_sent', 'refund_issued'],
    articles: ['Damaged deliveries'],
  },
  {
    issue: 'shipping',
    subject: 'Return label for order {order}',
    short: ['how do I return {order}?', 'need a return label', 'return {product}, does not fit'],
    details: ['I would like to return the {product} from order {order}; it does not suit us.', 'It is unused and in the original box.'],
    followUps: ['Dropped it off at {carrier} today.', 'When will the refund come through?'],
    asks: ['Would you like a refund or an exchange?'],
    fixes: ['Your prepaid {carrier} return label is attached; the refund of {amount} is issued once the parcel is scanned.'],
    resolutions: ['return_authorized', 'refund_issued'],
    articles: ['Returns and exchanges', 'Refund timelines'],
  },
  // ------------------------------------------------------------------ feedback
  {
    issue: 'feedback',
    subject: 'Feature request: dark mode in {product}',
    short: ['any plans for dark mode in {product}?', 'please add dark mode', 'feature request: dark mode'],
    details: ['I use {product} late in the evening and the white screens are hard on the eyes.', 'A dark mode would be wonderful.', 'Many of my colleagues have asked for the same.'],
    followUps: ['Thanks for passing it on.', 'Any timeline?'],
    asks: ['Would you like to join the beta group to try it early?'],
    fixes: ['I logged your request with our product team ({ticket}); dark mode is planned for a release later this year.'],
    resolutions: ['feature_request_logged'],
    articles: ['Display settings in {product}', 'Upcoming features'],
  },
  {
    issue: 'feedback',
    subject: 'Love the new {product} update',
    short: ['just wanted to say the new {product} update is great', 'new version is so much faster!', 'loving the redesign'],
    details: ['Just a quick note to say the latest {product} update is excellent.', 'Loading is much faster and the new layout is easier to use.'],
    followUps: ['Keep it up!'],
    asks: ['Is there anything you would like us to improve next?'],
    fixes: ['Thank you, I shared your message with the team; it made their day.'],
    resolutions: ['feedback_shared'],
    articles: ["What's new in {product}"],
  },
  {
    issue: 'feedback',
    subject: 'Checkout was confusing',
    short: ['checkout was confusing', 'nearly gave up on the checkout', 'the discount code field is hard to find'],
    details: ['I almost abandoned my order because the checkout was confusing.', 'The discount code field only appears after choosing delivery, and the total jumped around.'],
    followUps: ['Thanks for listening.'],
    asks: ['Which device and browser did you use for the checkout?'],
    fixes: ['Thank you, I passed this to the checkout team with your screenshots ({ticket}).'],
    resolutions: ['feedback_shared', 'feature_request_logged'],
    articles: ['Using discount codes'],
  },
  {
    issue: 'feedback',
    subject: 'Suggestion: bulk edit in {product}',
    short: ['would love bulk edit in {product}', 'please let us edit many items at once', 'feature idea: bulk actions'],
    details: ['We manage several hundred items in {product} and editing them one by one takes hours.', 'Bulk editing or a CSV import would save us a lot of time.'],
    followUps: ['CSV import would be enough for now.'],
    asks: ['Would a CSV import cover your use case?'],
    fixes: ['Bulk edit is logged as {ticket}; in the meantime the CSV import under Tools covers most fields.'],
    resolutions: ['feature_request_logged', 'workaround'],
    articles: ['Importing items from CSV'],
  },
  {
    issue: 'feedback',
    subject: 'Compliment for your support team',
    short: ['your agent {agent} was great', 'thanks for the amazing help yesterday', 'just wanted to say thanks to the team'],
    details: ['I wanted to say thank you for the help I received last week.', 'The agent was patient and solved a problem I had for months.'],
    followUps: ['Have a great week!'],
    asks: ['Is there anything else we can help with?'],
    fixes: ['Thank you so much, I passed your message on to the team lead.'],
    resolutions: ['feedback_shared'],
    articles: ['Contacting support'],
  },
  // ------------------------------------------------------------------ other
  {
    issue: 'other',
    subject: 'Partnership inquiry',
    short: ['who do I talk to about a partnership?', 'reseller question', 'interested in partnering'],
    details: ['We run a network of shops in {city} and would like to resell {product}.', 'Who is the right person to talk to about a partnership?'],
    followUps: ['Thanks, I will reach out to them.'],
    asks: ['Could you tell me a bit about your company and the markets you cover?'],
    fixes: ['I forwarded your details to our partnerships team; they will contact you within a week.'],
    resolutions: ['forwarded'],
    articles: ['Partner program'],
  },
  {
    issue: 'other',
    subject: 'Do you ship to {country}?',
    short: ['do you ship to {country}?', 'shipping to {country} possible?', 'can I order from {country}?'],
    details: ['I live in {country} and would like to order a {product}.', 'Do you ship there, and how long does delivery take?'],
    followUps: ['What about customs fees?', 'Great, ordering now.'],
    asks: ['Which city in {country} would it go to?'],
    fixes: ['Yes, we ship to {country}; delivery takes 5-8 business days and duties are included at checkout.'],
    resolutions: ['information_provided'],
    articles: ['Delivery times by country', 'Customs and duties'],
  },
  {
    issue: 'other',
    subject: 'Data privacy request (GDPR)',
    short: ['I want a copy of my personal data', 'GDPR data access request', 'what data do you hold about me?'],
    details: ['Under GDPR I request a copy of all personal data you hold about me.', 'Please also tell me who it has been shared with.'],
    followUps: ['Received the export, thank you.'],
    asks: ['To verify the request, could you reply from the email address on the account?'],
    fixes: ['Your data export is ready; the download link was sent to your account email and is valid for 7 days.'],
    resolutions: ['information_provided'],
    articles: ['Privacy and your data', 'Exporting your data'],
  },
  {
    issue: 'other',
    subject: 'Student discount?',
    short: ['do you have a student discount?', 'any discount for students?', 'education pricing?'],
    details: ['I am a student in {city} and would like to use {product} for my thesis.', 'Is there a student or education discount?'],
    followUps: ['Verified, thank you!'],
    asks: ['Could you verify your student status with your university email?'],
    fixes: ['Students get 50% off the {plan} plan; the discount is applied after verification.'],
    resolutions: ['information_provided'],
    articles: ['Education discounts'],
  },
];

export const ISSUE_WEIGHTS: ReadonlyArray<readonly [IssueType, number]> = [
  ['technical', 30],
  ['billing', 22],
  ['account', 16],
  ['shipping', 17],
  ['feedback', 8],
  ['other', 7],
];

// ------------------------------------------------------------------ word lists

export const PRODUCTS = [
  'Orbit Router X2', 'Nimbus Sync', 'Pulse Analytics', 'Lumen Smart Bulb', 'Atlas Backup', 'Quill Notes', 'Vertex Camera Pro', 'Harbor POS',
  'Beacon Tracker', 'Cascade Mesh', 'Echo Buds 3', 'Summit Desk', 'Nova Thermostat', 'Drift Kettle', 'Forge CRM', 'Ledger Books',
  'Relay Messaging', 'Prism Photo', 'Tempo Band', 'Anchor Payments', 'Haven Doorbell', 'Zephyr Purifier', 'Comet E-Bike', 'Mosaic Studio',
  'Sentinel Shield', 'Orchard Meal Kit', 'Willow Mattress', 'Kite Drone Mini', 'Canvas Sites', 'Ember Grinder', 'Glacier Cooler', 'Meridian Watch',
  'Solstice Lamp', 'Trellis Planner', 'Vantage Monitor', 'Bolt Charger', 'Juniper Speaker', 'Fathom Sonar', 'Keystone Lock', 'Aurora Projector',
] as const;

export const ERROR_CODES = [
  'E1042', 'E1107', 'E2210', 'E2291', 'E3015', 'E3388', 'E4012', 'E4409', 'E5031', 'E5120', 'E6602', 'E7781',
  'SYNC-409', 'SYNC-412', 'AUTH-401', 'AUTH-419', 'NET-503', 'NET-522', 'PAY-051', 'PAY-054', 'DB-1205', 'IO-0042',
  'ERR_CONN_RESET', 'ERR_CERT_DATE_INVALID', 'ERR_QUOTA_EXCEEDED', 'ERR_TOKEN_EXPIRED', 'ERR_LOCK_TIMEOUT', 'ERR_UPSTREAM_502',
  '0x80070005', '0x8024402C', '0xC004F074', 'HTTP 429', 'HTTP 500', 'HTTP 503',
] as const;

export const ENDPOINTS = ['/v1/orders', '/v1/customers', '/v2/shipments', '/v2/invoices', '/v1/webhooks', '/v2/inventory', '/v1/auth/token', '/v2/labels', '/v1/returns'] as const;

export const PLANS = ['Starter', 'Team', 'Business', 'Plus', 'Pro', 'Enterprise'] as const;

export const CARRIERS = ['DHL', 'UPS', 'FedEx', 'USPS', 'DPD', 'GLS', 'PostNL', 'Royal Mail', 'Canada Post', 'Yamato'] as const;

export const CITIES = [
  'Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Greenville', 'Oakridge', 'Maplewood', 'Brookfield', 'Cedar Falls', 'Millbrook',
  'Hamburg', 'Lyon', 'Valencia', 'Porto', 'Osaka', 'Leeds', 'Denver', 'Austin', 'Toronto', 'Melbourne',
] as const;

export const COUNTRIES = ['Iceland', 'Chile', 'New Zealand', 'Poland', 'South Africa', 'Singapore', 'Mexico', 'Norway', 'Portugal', 'Japan', 'Ireland', 'Canada'] as const;

export const DEVICES = ['iPhone 15', 'Pixel 8', 'Galaxy S23', 'iPad Air', 'Windows 11 laptop', 'MacBook Air', 'Chromebook', 'Android tablet', 'Surface Pro', 'Linux desktop'] as const;

export const TEAMS = ['billing', 'engineering', 'logistics', 'accounts', 'tier 2', 'payments', 'API'] as const;

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** Consumer mailbox domains: reserved `.example` names, so nothing real is ever contacted. */
export const CONSUMER_DOMAINS = ['mail.example', 'inbox.example', 'post.example', 'webmail.example', 'home.example'] as const;

/** US area codes; every `555-0100`…`555-0199` number in them is reserved for fiction. */
export const US_AREA_CODES = [
  201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228, 229, 231, 234, 239, 240, 248,
  251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316,
  317, 318, 319, 320, 321, 323, 325, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407, 408, 409,
  410, 412, 413, 414, 415, 417, 419, 423, 425, 430, 432, 434, 435, 440, 443, 469, 478, 479, 480, 484, 501, 502, 503, 504, 505, 507,
  508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530, 540, 541, 551, 559, 561, 562, 563, 567, 570, 571, 573, 574, 580, 585, 586,
  601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651,
  660, 661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716, 717, 718, 719, 720, 724, 727, 731, 732, 734,
  740, 754, 757, 760, 763, 765, 770, 772, 773, 774, 775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813, 814, 815,
  816, 817, 818, 828, 830, 831, 832, 843, 845, 847, 848, 850, 856, 857, 858, 859, 860, 862, 863, 864, 865, 870, 878, 901, 903, 904,
  906, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931, 936, 937, 940, 941, 949, 951, 952, 954, 956,
  970, 971, 972, 973, 978, 979, 980, 985, 989,
] as const;

export const LANGUAGE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['en', 78],
  ['de', 6],
  ['fr', 5],
  ['es', 5],
  ['pt', 3],
  ['ja', 3],
];

export const TIMEZONES: Record<string, readonly string[]> = {
  en: ['America/New_York', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Los_Angeles', 'Europe/London', 'Europe/London', 'Europe/Dublin', 'Australia/Sydney', 'America/Toronto'],
  de: ['Europe/Berlin', 'Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich'],
  fr: ['Europe/Paris', 'Europe/Paris', 'Europe/Brussels', 'America/Toronto'],
  es: ['Europe/Madrid', 'America/Mexico_City', 'America/Bogota', 'America/Argentina/Buenos_Aires'],
  pt: ['America/Sao_Paulo', 'America/Sao_Paulo', 'Europe/Lisbon'],
  ja: ['Asia/Tokyo'],
};

/** How a customer opens an email, by their language; the rest of the message is English. */
export const EMAIL_GREETINGS: Record<string, readonly string[]> = {
  en: ['Hi,', 'Hello,', 'Hi there,', 'Hello support team,', 'Dear Omni Support,', 'Hi team,', 'Good morning,'],
  de: ['Hallo,', 'Guten Tag,', 'Hallo zusammen,'],
  fr: ['Bonjour,', 'Bonjour à tous,'],
  es: ['Hola,', 'Buenos días,'],
  pt: ['Olá,', 'Bom dia,'],
  ja: ['こんにちは、', 'お世話になっております。'],
};

export const CUSTOMER_CLOSERS = [
  'Could you please look into this?', 'Any help would be appreciated.', 'Please let me know what you need from me.', 'This is blocking our team, so a quick reply would help.',
  'Thanks in advance for your help.', 'I hope this can be sorted out quickly.', 'Looking forward to hearing from you.',
] as const;

export const SIGN_OFFS = ['Thanks,', 'Best regards,', 'Kind regards,', 'Cheers,', 'Thank you,', 'Many thanks,', 'Best,'] as const;

export const CHAT_OPENERS = ['Hi!', 'Hello,', 'hey', 'Hi there,', 'Good afternoon,', 'Hi, quick question:', ''] as const;

export const SOCIAL_OPENERS = ['hey @OmniSupport', '@OmniSupport', 'hi!', 'Hey team,', 'hello @OmniSupport,', 'DM-ing as asked:'] as const;

export const SOCIAL_ENDINGS = [' 🙁', ' 😩', ' 🙏', ' pls help', ' thanks!', '', '', ''] as const;

/** Endings for messages that are not complaints (feedback, compliments). */
export const HAPPY_ENDINGS = [' 🙌', ' 🎉', ' 👍', '!', '', ''] as const;

export const GENERIC_FOLLOW_UPS = [
  'Any update on this?', 'Just following up on my last message.', 'Thanks, I will try that now.', 'Ok, that worked for a moment but the problem is back.',
  'Is there someone else who can help?', 'Sorry for the late reply, I was travelling.', 'Sure, one moment.', 'Here you go.', 'Yes, that is correct.',
  'I have attached the screenshot.', 'Not yet, will check tonight.', 'How long will this take?',
] as const;

export const THANKS = ['That fixed it, thank you!', 'All good now, thanks for the quick help.', 'Great, thanks!', 'Perfect, appreciate it.', 'Works now. Thanks a lot!', 'Thanks, that answers my question.'] as const;

export const AGENT_ACKS = [
  'Thanks for reaching out, {first}.', 'Hi {first}, thanks for getting in touch.', 'Sorry to hear about this, {first}.', 'Thanks for the details, {first}.',
  'Thank you for your patience, {first}.', 'Hi {first}, happy to help with this.',
] as const;

export const AGENT_UPDATES = [
  'I have escalated this to our {team} team and will update you within 24 hours.', 'I am checking this with our {team} team now.', 'Thanks for your patience; I am still looking into it.',
  'Quick update: our {team} team has reproduced the problem and is working on it.', 'I have added your details to the internal ticket {ticket}.',
] as const;

export const AGENT_CLOSERS = [
  "Let me know if there's anything else I can help with.", 'I will close this conversation for now; just reply if the problem comes back.', 'Have a great day!',
  'Thanks again for your patience.', 'Glad we could sort this out.',
] as const;

/** Internal notes any case can get. */
export const NOTES = [
  'Linked to known issue {ticket}.', 'VIP: keep response times tight.', 'Verified identity via the account email.', 'Customer sounded frustrated; offered a goodwill credit.',
  'Duplicate of an earlier conversation, merged context here.', 'Same issue reported by two other customers today.', 'Checked the account history: nothing unusual.',
] as const;

/** Internal notes that fit one kind of problem. */
export const ISSUE_NOTES: Record<IssueType, readonly string[]> = {
  technical: [
    'Escalated to tier 2: reproduced {code} on a test account.', 'Checked logs: requests from this account hit the rate limit around the reported time.',
    'Asked engineering in #support-escalations; ETA tomorrow.', 'Customer is on {version}; the fix ships in the next release.',
  ],
  billing: ['Customer on the {plan} plan; no previous refunds in billing history.', 'Refund of {amount} approved by supervisor.', 'Payment provider shows the charge as settled.'],
  account: ['Identity confirmed with the last invoice number.', 'Two-factor reset approved after the identity check.', 'Account owner confirmed by the workspace admin.'],
  shipping: ['Waiting on a {carrier} trace for {tracking}.', 'Warehouse confirmed the parcel left on time.', 'Replacement approved; no return needed.'],
  feedback: ['Shared with the product team in the weekly feedback digest.', 'Tagged for the {product} roadmap review.'],
  other: ['Forwarded to the right team; nothing else needed from support.', 'Checked the policy with the team lead.'],
};

export const PROFILE_NOTES = [
  'Prefers email over phone calls.', 'Renewal due in {month}; handle billing questions with care.', 'Invoices go to their accounts payable team, not to this contact.',
  'Long-time customer; very patient, appreciates detailed explanations.', 'Asked not to be contacted before 10:00 local time.', 'Runs a small shop in {city}; peak season is November.',
  'Had a bad experience with a delayed refund last year.', 'Beta tester for {product}; happy to try pre-release builds.', 'Decision maker for their team of 40 seats.',
  'Hard of hearing: offer chat or email rather than phone.',
] as const;

export const CSAT_COMMENTS: Record<number, readonly string[]> = {
  5: ['Quick and helpful, thanks!', 'Great service.', '{agent} was fantastic.', 'Solved in minutes.'],
  4: ['Good, but it took a while.', 'Solved, thanks.', 'Helpful agent.'],
  3: ['Okay.', 'Took several messages to get there.', 'Fine in the end.'],
  2: ['Slow response.', 'Had to explain the problem twice.'],
  1: ['Still not fixed.', 'Very frustrating experience.', 'Nobody answered for days.'],
};

export const CALL_OUTCOME_TEXT: Record<string, string> = {
  resolved: 'Resolved on the call.',
  follow_up: 'Agreed to follow up in writing.',
  escalated: 'Escalated to tier 2 after the call.',
  transferred: 'Transferred to the {team} team.',
  callback_scheduled: 'Customer will call back with more details.',
  connected: 'Talked it through with the customer.',
  no_answer: 'No answer.',
  left_voicemail: 'No answer; left a voicemail asking the customer to call back.',
};

export const PORTAL_QUERIES = ['reset password', 'refund', 'tracking', 'cancel subscription', 'invoice', 'error', 'wifi setup', 'return label', 'api limits', 'dark mode', 'delivery time', 'two factor'] as const;
