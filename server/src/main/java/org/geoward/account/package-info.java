/**
 * Accounts: admins create users ({@code POST /api/users}) and {@link org.geoward.account.Visibility} tells every
 * controller which subjects a caller may see.
 */
package org.geoward.account;
