package org.geoward.account;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.util.List;

/** {@code POST/GET /api/users}, {@code PUT/DELETE /api/users/{id}}: accounts, for admins only. */
@Controller("/api/users")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UserController {
    private final AccountService accounts;

    UserController(AccountService accounts) {
        this.accounts = accounts;
    }

    /** Creates an account: 201 with the account (never the password). */
    @Post
    HttpResponse<Account> create(@Body UserDraft draft) {
        return HttpResponse.status(HttpStatus.CREATED).body(accounts.create(draft));
    }

    @Get
    List<Account> list() {
        return accounts.list(null);
    }

    /** Changes an account's role, wards, subject or password (each when given). */
    @Put("/{id}")
    Account update(@PathVariable long id, @Body UserUpdate change) {
        return accounts.update(id, change);
    }

    /** Deletes an account: 204; never one's own, never the last ADMIN (409). */
    @Delete("/{id}")
    HttpResponse<Void> delete(@PathVariable long id, Authentication authentication) {
        accounts.delete(id, authentication.getName());
        return HttpResponse.noContent();
    }
}
