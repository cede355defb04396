import type { CredentialOwner } from './errors';

/**
 * The words of a blocked order: whose credential, what Amazon said, what the operator must do, and that
 * the order resumes by itself. Amazon's words are its error code and description, never a secret.
 */
const RESUMES = 'orders waiting on it resume by themselves';

export function lwaRefusalWords(owner: CredentialOwner, said: string): string {
  if (owner.kind === 'app') {
    return (
      `LWA refused the app's client credentials (LWA_CLIENT_ID and its client secret): ${said}. ` +
      `Put the app's current client secret in LWA_CLIENT_SECRET_FILE (or LWA_CLIENT_SECRET); ${RESUMES}`
    );
  }
  return (
    `LWA refused seller ${owner.sellerId}'s authorization of the app (its refresh token): ${said}. ` +
    `The seller must authorize the app again and its new refresh token go into SPAPI_SELLERS_FILE ` +
    `(or LWA_REFRESH_TOKEN); ${RESUMES}`
  );
}

export function accessDeniedWords(owner: CredentialOwner, said: string): string {
  if (owner.kind === 'app') {
    return `Amazon denied the app access even with a fresh token: ${said}. Check the app's roles in Solution Provider Portal`;
  }
  return (
    `Amazon denied seller ${owner.sellerId}'s authorization access even with a fresh token: ${said}. ` +
    `Check that the seller still authorizes the app with the Buyer Solicitation role (Seller Central, ` +
    `Manage Your Apps); the order resumes by itself once Amazon allows it`
  );
}

export function sellerNotConfiguredWords(sellerId: string): string {
  return `seller ${sellerId} is not in SPAPI_SELLERS_FILE. Add it with its refresh token; its orders resume by themselves`;
}

export function sellerPausedWords(sellerId: string): string {
  return `seller ${sellerId} is paused in SPAPI_SELLERS_FILE. Remove "paused" to resume; its orders resume by themselves`;
}
