package org.geoward.account;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/**
 * {@code PUT /api/me/password} {@code {oldPassword, newPassword}}: any logged-in user changes their own password,
 * given the current one; 204, or 400 naming the field. Tokens already issued stay valid until they expire.
 */
@Controller("/api/me/password")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
final class PasswordController {
    private final AccountService accounts;

    PasswordController(AccountService accounts) {
        this.accounts = accounts;
    }

    @Put
    HttpResponse<Void> change(@Body PasswordChange change, Authentication authentication) {
        accounts.changePassword(authentication.getName(), change);
        return HttpResponse.noContent();
    }
}
