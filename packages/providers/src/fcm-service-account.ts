/**
 * The fields of a Google service account key file (the JSON downloaded from the Firebase
 * console) that the FCM provider uses. `@herald/config` validates the shape at start.
 */
export interface FcmServiceAccount {
  /** The Firebase project the messages are sent for (`/v1/projects/<project_id>/…`). */
  project_id: string;
  /** The assertion's issuer. */
  client_email: string;
  /** PKCS#8 PEM of the RSA key that signs the assertion (RS256). */
  private_key: string;
  /** Names the key in the assertion's header, when present. */
  private_key_id?: string;
  /** Where the signed assertion is exchanged for an access token; also its audience. */
  token_uri: string;
}
